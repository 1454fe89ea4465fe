package pid1

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// makeLinks makes each of links, its Path taken under root, that is
// missing, and returns those it made. A path that exists, a link or
// not, is left as it is. It goes on after a failure and returns every
// failure.
func makeLinks(root string, links []Symlink) (made []Symlink, errs []error) {
	for _, l := range links {
		err := os.Symlink(l.Target, filepath.Join(root, l.Path))
		switch {
		case err == nil:
			made = append(made, l)
		case !errors.Is(err, fs.ErrExist):
			errs = append(errs, err)
		}
	}
	return made, errs
}
