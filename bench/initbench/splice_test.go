package main

import "testing"

func TestSplice(t *testing.T) {
	const h = "## Mine"
	tests := []struct {
		name, doc, section, want string
	}{
		{"empty doc", "", h + "\nnew\n", h + "\nnew\n"},
		{"append after others", "# T\n\n## VM boot\nvm\n", h + "\nnew",
			"# T\n\n## VM boot\nvm\n\n" + h + "\nnew\n"},
		{"replace last", "# T\n\n" + h + "\nold\nold2\n", h + "\nnew\n", "# T\n\n" + h + "\nnew\n"},
		{"replace middle, keep the rest", "# T\n\n" + h + "\nold\n\n## Services\nsvc\n", h + "\nnew\n",
			"# T\n\n" + h + "\nnew\n\n## Services\nsvc\n"},
		{"subheadings belong to the section", h + "\nold\n### sub\nold\n## VM boot\nvm\n", h + "\nnew\n",
			h + "\nnew\n\n## VM boot\nvm\n"},
		{"heading prefix is not the heading", "## Mine too\nx\n", h + "\nnew\n", "## Mine too\nx\n\n" + h + "\nnew\n"},
	}
	for _, tt := range tests {
		if got := splice(tt.doc, h, tt.section); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
