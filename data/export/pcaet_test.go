package export_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/export"
)

func TestReadEPCI(t *testing.T) {
	m, err := export.ReadEPCI(strings.NewReader("\ufeffCODGEO;LIBGEO;EPCI;LIBEPCI\n24322;Périgueux;200040392;CA Le Grand Périgueux\n2A004;Ajaccio;242000354;CA du Pays Ajaccien\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m["24322"] != (export.EPCI{Code: "200040392", Name: "CA Le Grand Périgueux"}) || m["2A004"].Code != "242000354" || len(m) != 2 {
		t.Errorf("ReadEPCI = %v", m)
	}
	if m, err := export.ReadEPCI(strings.NewReader("insee_com,siren_epci\n24322,200040392\n")); err != nil || m["24322"].Code != "200040392" {
		t.Errorf("comma-separated: %v, %v", m, err)
	}
	for in, want := range map[string]string{
		"":                                 "empty",
		"a;b\n1;2\n":                       "lacks a commune code column",
		"CODGEO;EPCI\n2432;200040392\n":    "line 2: field CODGEO",
		"CODGEO;EPCI\n24322;\n":            "line 2: field EPCI is empty",
		"CODGEO;EPCI\n24322;1\n24322;2\n":  "line 3: commune 24322 in EPCI 1 and 2",
		"CODGEO;EPCI\n":                    "no commune listed",
		"CODGEO;LIBGEO;EPCI\n24322;x\n":    "line 2: 2 fields",
		"CODGEO;EPCI\n\"24322;200040392\n": "line 2",
	} {
		_, err := export.ReadEPCI(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadEPCI(%q) error %v, want %q", in, err, want)
		} else if want != "line 2" && !errors.Is(err, data.ErrInvalidValue) {
			t.Errorf("ReadEPCI(%q): %v is not data.ErrInvalidValue", in, err)
		}
	}
}

func FuzzReadEPCI(f *testing.F) {
	for _, s := range []string{"CODGEO;EPCI;LIBEPCI\n24322;200040392;x\n", "insee,siren\n2A004,1\n", "CODGEO\tEPCI\n24322\t1\n", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		m, err := export.ReadEPCI(strings.NewReader(in))
		if err != nil {
			return
		}
		for c, e := range m {
			if len(c) != 5 || e.Code == "" {
				t.Fatalf("ReadEPCI(%q) kept %q → %v", in, c, e)
			}
		}
	})
}
