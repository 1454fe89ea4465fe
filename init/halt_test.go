package pid1

import "testing"

func TestActionString(t *testing.T) {
	tests := []struct {
		a    Action
		want string
	}{
		{PowerOff, "poweroff"},
		{Restart, "reboot"},
		{Action(7), "Action(7)"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
