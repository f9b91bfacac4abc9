package surface

import (
	"fmt"
	"strings"
	"testing"
)

func TestDebugMap(t *testing.T) {
	_, roofs := analyseMontpellier(t, false)
	for _, r := range roofs {
		if r.ID != "LIDAR-MTP-10" && r.ID != "LIDAR-MTP-05" {
			continue
		}
		g := r.labels
		var b strings.Builder
		for j := 0; j < g.h; j++ {
			for i := 0; i < g.w; i++ {
				l := g.l[j*g.w+i]
				switch {
				case l < 0:
					b.WriteByte('.')
				case l < 10:
					b.WriteString(fmt.Sprint(l))
				case l < 36:
					b.WriteByte(byte('a' + l - 10))
				default:
					b.WriteByte('#')
				}
			}
			b.WriteByte('\n')
		}
		t.Logf("%s x0 %.1f y0 %.1f\n%s", r.ID, g.x0, g.y0, b.String())
	}
}
