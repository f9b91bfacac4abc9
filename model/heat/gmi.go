package heat

import (
	"fmt"
	"math"
	"strings"
)

// French "géothermie de minime importance" (GMI) for closed-loop ground heat
// exchangers (vertical probes): décret n° 2015-15 du 8 janvier 2015 relatif
// à la géothermie de minime importance (amending the mining-code decrees):
// an exchanger is GMI when it is
// deeper than 10 m and shallower than 200 m and the thermal power taken from
// or returned to the ground is below 500 kW; arrêtés du 25 juin 2015
// (general technical prescriptions; regulatory map of green / orange / red
// zones), amended 29 May 2024. Green: declaration; orange: declaration with
// an approved expert's certificate; red: outside GMI (mining-code
// authorisation).
const (
	GMISource     = "décret n° 2015-15 du 8 janvier 2015; arrêtés du 25 juin 2015 (amended 29 May 2024): closed loops 10-200 m deep, < 500 kW"
	GMIMaxPowerKW = 500.0
	GMIMinDepthM  = 10.0
	GMIMaxDepthM  = 200.0
)

// GMIRegime is the regulatory status of a ground-source project.
type GMIRegime string

const (
	// GMIDeclaration: green zone, inside the GMI limits.
	GMIDeclaration GMIRegime = "gmi_declaration"
	// GMIExpert: orange zone, inside the GMI limits: declaration with an
	// approved expert's certificate.
	GMIExpert GMIRegime = "gmi_expert_certificate"
	// GMIToVerify: zone unknown: the project is NOT counted as feasible until
	// the regulatory map has been checked.
	GMIToVerify GMIRegime = "gmi_to_verify"
	// GMIOutside: red zone, or beyond the GMI depth or power limits: a
	// mining-code authorisation is needed (not feasible in a pre-study).
	GMIOutside GMIRegime = "outside_gmi_authorisation"
)

// GMICheck is the result of CheckGMI.
type GMICheck struct {
	Status GMIRegime
	// Feasible is true only for green and orange zones inside the limits.
	Feasible bool
	// Reason explains the status in French for the planning annex.
	Reason string
}

// CheckGMI classifies a closed-loop probe field: zone as read from the GMI
// regulatory map (green/vert, orange, red/rouge, "" unknown), probe depth
// depthM (m) and the thermal power exchanged with the ground groundKW (kW:
// the evaporator power, heat-pump capacity × (COP − 1)/COP). Unknown zone
// is "to verify" and not feasible; the depth and power limits are checked
// first (beyond them no zone makes it GMI).
func CheckGMI(zone string, depthM, groundKW float64) (GMICheck, error) {
	if math.IsNaN(depthM) || depthM <= 0 || math.IsNaN(groundKW) || groundKW < 0 {
		return GMICheck{}, fmt.Errorf("%w: GMI check: depth %g m, power %g kW", ErrFieldInput, depthM, groundKW)
	}
	if depthM <= GMIMinDepthM || depthM >= GMIMaxDepthM {
		return GMICheck{GMIOutside, false, fmt.Sprintf("profondeur %.0f m hors du régime GMI (10 à 200 m) : autorisation minière", depthM)}, nil
	}
	if groundKW >= GMIMaxPowerKW {
		return GMICheck{GMIOutside, false, fmt.Sprintf("puissance échangée avec le sous-sol %.0f kW ≥ 500 kW : hors GMI, autorisation minière", groundKW)}, nil
	}
	switch strings.ToLower(strings.TrimSpace(zone)) {
	case "green", "vert", "verte":
		return GMICheck{GMIDeclaration, true, "zone verte : télédéclaration GMI"}, nil
	case "orange":
		return GMICheck{GMIExpert, true, "zone orange : déclaration avec attestation d'un expert agréé"}, nil
	case "red", "rouge":
		return GMICheck{GMIOutside, false, "zone rouge : hors GMI, autorisation minière"}, nil
	case "":
		return GMICheck{GMIToVerify, false, "zone GMI inconnue : à vérifier sur la carte réglementaire (non compté comme faisable)"}, nil
	}
	return GMICheck{}, fmt.Errorf("%w: GMI zone %q: want green, orange, red or empty", ErrFieldInput, zone)
}
