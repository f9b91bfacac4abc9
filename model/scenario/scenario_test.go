package scenario

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type row struct {
	MaxKWp    float64 `yaml:"max_kwp"`
	EURPerKWp float64 `yaml:"eur_per_kwp" unit:"€/kWp"`
	Source    string  `yaml:"source"`
	Date      string  `yaml:"date"`
}

type params struct {
	Loss  Param  `yaml:"loss_pct"`
	Mode  string `yaml:"mode"`
	Inner struct {
		Depth Param `yaml:"depth_m"`
	} `yaml:"inner"`
	Classes []row `yaml:"classes"`
}

func defaults() *params {
	p := &params{Loss: P(14, "%", "PVGIS default"), Mode: "a",
		Classes: []row{{MaxKWp: 9, EURPerKWp: 2000, Source: "survey", Date: "2025"}, {EURPerKWp: 900, Source: "survey", Date: "2025"}}}
	p.Inner.Depth = PD(100, "m", "Hotmaps", "2020")
	return p
}

func load(t *testing.T, src string) (*params, error) {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatal(err)
	}
	p := defaults()
	if err := CheckKeys(root.Content[0], reflect.TypeOf(params{}), "", "f.yaml"); err != nil {
		return nil, err
	}
	if err := root.Content[0].Decode(p); err != nil {
		return nil, err
	}
	MarkUserSources(p, "set in f.yaml")
	return p, nil
}

func TestLeavesAndAssumptions(t *testing.T) {
	var paths []string
	for _, l := range Leaves(defaults()) {
		paths = append(paths, l.Path+":"+l.Kind)
	}
	want := "loss_pct:param mode:choice inner.depth_m:param classes[0].max_kwp:number classes[0].eur_per_kwp:number classes[1].max_kwp:number classes[1].eur_per_kwp:number"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("leaves\n%s\nwant\n%s", got, want)
	}
	p := defaults()
	l := Leaves(p)[4]
	l.SetFloat(1800)
	if p.Classes[0].EURPerKWp != 1800 || l.Float() != 1800 {
		t.Errorf("SetFloat did not reach the struct: %+v", p.Classes[0])
	}
	var keys []string
	for _, a := range Assumptions(defaults(), "x") {
		keys = append(keys, fmt.Sprintf("%s=%g %s [%s %s]", a.Key, a.Value, a.Unit, a.Source, a.Date))
	}
	want = "x.loss_pct=14 % [PVGIS default ]|x.inner.depth_m=100 m [Hotmaps 2020]|x.classes[0].eur_per_kwp(≤9 kWp)=2000 €/kWp [survey 2025]|x.classes[1].eur_per_kwp(unbounded)=900 €/kWp [survey 2025]"
	if got := strings.Join(keys, "|"); got != want {
		t.Errorf("assumptions\n%s\nwant\n%s", got, want)
	}
}

func TestLoadMergesAndMarksSources(t *testing.T) {
	p, err := load(t, "loss_pct: 10\ninner:\n  depth_m: {value: 80, source: driller}\n")
	if err != nil {
		t.Fatal(err)
	}
	if p.Loss.Value != 10 || p.Loss.Unit != "%" || p.Loss.Source != "set in f.yaml" {
		t.Errorf("bare number: %+v", p.Loss)
	}
	if p.Inner.Depth.Value != 80 || p.Inner.Depth.Source != "driller" || p.Inner.Depth.Date != "2020" {
		t.Errorf("mapping: %+v", p.Inner.Depth)
	}
}

func TestUnknownKeysRejected(t *testing.T) {
	for _, c := range []struct {
		src, key string
		line     int
		contains string
	}{
		{"loss: 10\n", "loss", 1, `did you mean "loss_pct"`},
		{"mode: b\ninner:\n  depth: 3\n", "inner.depth", 3, `did you mean "depth_m"`},
		{"classes:\n  - {max_kwp: 3, eur: 1}\n", "classes[0].eur", 2, "unknown key"},
		{"zzzzzzzz: 1\n", "zzzzzzzz", 1, "known keys: classes, inner, loss_pct, mode"},
	} {
		_, err := load(t, c.src)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
			t.Fatalf("%q: %v", c.src, err)
		}
		if e.File != "f.yaml" || e.Line != c.line || e.Key != c.key || !strings.Contains(err.Error(), c.contains) {
			t.Errorf("%q: %v (file %q line %d key %q)", c.src, err, e.File, e.Line, e.Key)
		}
	}
}

func TestCheckAndPrefix(t *testing.T) {
	if err := Check("k", P(5, "m", ""), 0, 10, true); err != nil {
		t.Error(err)
	}
	err := Prefix(Check("k", P(5.5, "m", ""), 0, 10, true), "dom", "f.yaml")
	var e *Error
	if !errors.As(err, &e) || e.Key != "dom.k" || e.File != "f.yaml" || !strings.Contains(err.Error(), "whole") {
		t.Errorf("%v", err)
	}
	if err := Check("k", P(11, "m", ""), 0, 10, false); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("%v", err)
	}
}

// FuzzParam checks that the Param parser never panics and that what it
// accepts is a number with a known source state.
func FuzzParam(f *testing.F) {
	f.Add("5")
	f.Add("{value: 3, unit: m, source: x, date: 2025-01}")
	f.Add("{value: 3, unit: km}")
	f.Add("[1, 2]")
	f.Add("{valeu: 1}")
	f.Fuzz(func(t *testing.T, src string) {
		var n yaml.Node
		if yaml.Unmarshal([]byte(src), &n) != nil || len(n.Content) == 0 {
			return
		}
		p := P(1, "m", "built-in")
		if err := p.UnmarshalYAML(n.Content[0]); err != nil {
			return
		}
		if p.Unit != "m" {
			t.Fatalf("unit changed to %q", p.Unit)
		}
	})
}

func ExampleAssumptions() {
	type pv struct {
		SystemLossPct Param `yaml:"system_loss_pct"`
	}
	p := &pv{SystemLossPct: P(14, "%", "PVGIS default system loss (JRC)")}
	for _, a := range Assumptions(p, "pv") {
		fmt.Printf("%s = %g %s (%s)\n", a.Key, a.Value, a.Unit, a.Source)
	}
	// Output:
	// pv.system_loss_pct = 14 % (PVGIS default system loss (JRC))
}
