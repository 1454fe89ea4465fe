package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// sizeResult is one binary's size on disk, and after strip(1).
type sizeResult struct {
	bytes, stripped int64
	static          bool
}

// measureSizes stats each init, and a copy of it run through strip.
func measureSizes(ps []initProg, tmp string) (map[string]sizeResult, error) {
	res := map[string]sizeResult{}
	for _, p := range ps {
		st, err := os.Stat(p.path)
		if err != nil {
			return nil, err
		}
		stripped, err := strippedSize(p.path, filepath.Join(tmp, p.name+".stripped"))
		if err != nil {
			return nil, err
		}
		static, err := isStatic(p.path)
		if err != nil {
			return nil, err
		}
		res[p.name] = sizeResult{bytes: st.Size(), stripped: stripped, static: static}
	}
	return res, nil
}

func strippedSize(path, out string) (int64, error) {
	if msg, err := exec.Command("strip", "-o", out, path).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("strip %q: %v: %s", path, err, msg)
	}
	defer os.Remove(out)
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
