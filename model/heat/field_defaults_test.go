package heat

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/gisement/gisement/model/scenario"
)

// Every field-layer parameter carries value, unit, source and date, and
// the defaults pass their own validation.
func TestFieldParamsComplete(t *testing.T) {
	date := regexp.MustCompile(`^\d{4}-\d{2}(-\d{2})?$`)
	p := Defaults()
	for _, root := range []struct {
		name string
		v    any
	}{{"field", &p.Field}, {"calibration", &p.Calibration}, {"usage", &p.Usage}} {
		n := 0
		for _, l := range scenario.Leaves(root.v) {
			if l.Kind != "param" {
				continue
			}
			n++
			d := l.Value.Interface().(scenario.Param)
			if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) || d.Unit == "" || d.Source == "" || !date.MatchString(d.Date) {
				t.Errorf("%s.%s: incomplete %+v", root.name, l.Path, d)
			}
			if strings.Contains(d.Source, "/work/") || strings.Contains(d.Source, "REFERENCES") {
				t.Errorf("%s.%s: source must be a primary source, not a local path: %s", root.name, l.Path, d.Source)
			}
		}
		if n == 0 {
			t.Errorf("%s: no parameter listed", root.name)
		}
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := p.Field.Losses(DefaultDHWFlowC, DefaultSizingFactor), DefaultFieldLosses(); got != want {
		t.Errorf("field params give losses %+v, want the documented defaults %+v", got, want)
	}
	if got, want := p.Usage.Params(StoreyHeightM), DefaultUsageParams(); got != want {
		t.Errorf("usage params %+v, want %+v", got, want)
	}
	if got, want := p.Calibration.Params(), DefaultCalibrationParams(); got != want {
		t.Errorf("calibration params %+v, want %+v", got, want)
	}
	for _, e := range EmitterClasses {
		if err := e.Validate(DefaultIndoorC); err != nil {
			t.Fatal(err)
		}
	}
	bad := Defaults()
	bad.Field.ResidualFactor.Value = 2
	if bad.Validate() == nil {
		t.Error("residual factor 2 accepted")
	}
}
