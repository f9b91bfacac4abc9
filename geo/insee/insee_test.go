package insee

import (
	"fmt"
	"strings"
	"testing"
)

func TestParentMembers(t *testing.T) {
	for code, want := range map[string]string{"75111": "75056", "75101": "75056", "75120": "75056", "75121": "75121",
		"69381": "69123", "69389": "69123", "69390": "69390", "13201": "13055", "13216": "13055", "24322": "24322", "75056": "75056"} {
		if got := Parent(code); got != want {
			t.Errorf("Parent(%s) = %s, want %s", code, got, want)
		}
	}
	if m := Members("75056"); len(m) != 21 || m[0] != "75056" || m[11] != "75111" {
		t.Errorf("Members(75056) = %v", m)
	}
	if m := Members("13055"); len(m) != 17 {
		t.Errorf("Members(13055) has %d codes, want 17", len(m))
	}
	if m := Members("75111"); len(m) != 1 {
		t.Errorf("Members(75111) = %v", m)
	}
}

func TestName(t *testing.T) {
	for code, want := range map[string]string{"75056": "Paris", "75111": "Paris 11e Arrondissement", "69381": "Lyon 1er Arrondissement",
		"13216": "Marseille 16e Arrondissement", "91216": "Épinay-sur-Orge", "33063": "Bordeaux", "00000": ""} {
		if got := Name(code); got != want {
			t.Errorf("Name(%s) = %q, want %q", code, got, want)
		}
	}
}

func FuzzParseNames(f *testing.F) {
	f.Add("code_insee,commune\n24322,Périgueux\n")
	f.Add("commune,code_insee\nx\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseNames(strings.NewReader(s))
		if err == nil {
			for k, v := range m {
				if k == "" || v == "" {
					t.Fatalf("empty key or name: %q %q", k, v)
				}
			}
		}
	})
}

func ExampleMembers() {
	fmt.Println(Parent("75111"), Name("75111"))
	fmt.Println(len(Members("69123")) - 1)
	// Output:
	// 75056 Paris 11e Arrondissement
	// 9
}
