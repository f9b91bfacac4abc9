package surface

import (
	"strings"
	"testing"
)

func TestModelledPitch(t *testing.T) {
	cases := []struct {
		code     string
		deg      float64
		covering string
	}{
		{"34", 20, "canal"}, {"34172", 20, "canal"}, {"2A", 20, "canal"}, {"24322", 20, "canal"},
		{"29", 40, "ardoises"}, {"75056", 40, "ardoises"}, {"67", 40, "ardoises"},
		{"63", 33, "emboîtement"}, {"69", 33, "emboîtement"}, {"974", 20, "tôle"},
	}
	for _, c := range cases {
		p, err := ModelledPitch(c.code)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if p.Deg != c.deg || p.LowDeg >= p.Deg || p.HighDeg <= p.Deg || p.Source == "" {
			t.Errorf("%s: %+v, want %g°", c.code, p, c.deg)
		}
		if !strings.Contains(p.Covering, c.covering) {
			t.Errorf("%s: covering %q, want %q", c.code, p.Covering, c.covering)
		}
	}
	for _, bad := range []string{"", "7", "00", "20", "96", "XX", "9A"} {
		if _, err := ModelledPitch(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
