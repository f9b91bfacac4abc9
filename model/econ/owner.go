package econ

import "fmt"

// OwnerType is who invests in and runs one rooftop PV installation: it sets
// the VAT paid, the electricity price saved by self-consumption, the
// discount rate and the standard load profile.
type OwnerType string

const (
	// OwnerHousehold: a household on its dwelling; pays VAT (TTC prices),
	// saves the residential retail price; BDEW H25 load profile.
	OwnerHousehold OwnerType = "household"
	// OwnerBusiness: a company (shop, office, workshop); recovers VAT (HT
	// prices), saves the non-residential price; BDEW G25 profile.
	OwnerBusiness OwnerType = "business"
	// OwnerCommunity: a local authority or a citizen energy cooperative on a
	// public building; PV selling electricity is a VAT-liable activity, so
	// VAT is recovered (HT); BDEW G25 profile (offices, schools).
	OwnerCommunity OwnerType = "community"
	// OwnerFarm: a farm building; HT prices; BDEW L25 profile.
	OwnerFarm OwnerType = "farm"
)

// ParseOwnerType parses household, business, community or farm.
func ParseOwnerType(s string) (OwnerType, error) {
	switch o := OwnerType(s); o {
	case OwnerHousehold, OwnerBusiness, OwnerCommunity, OwnerFarm:
		return o, nil
	case "":
		return OwnerHousehold, nil
	}
	return "", fmt.Errorf("owner type %q: want household, business, community or farm", s)
}

// LoadProfileKind returns the BDEW 2025 standard load profile used for the
// owner's hourly demand.
func (o OwnerType) LoadProfileKind() ProfileKind {
	switch o {
	case OwnerBusiness, OwnerCommunity:
		return ProfileG25
	case OwnerFarm:
		return ProfileL25
	}
	return ProfileH25
}

// VATPct returns the VAT rate (%) the owner pays on a kWp installation and
// whether it is recovered (businesses, communities and farms deduct it, so
// their cost is HT). Households on dwellings (CGI art. 278-0 bis, arrêté du
// 8 septembre 2025): 5.5 % up to 9 kWc when the system meets the
// conditions (p.HouseholdReducedVATEligible = 1); otherwise 10 % up to
// 3 kWc, 20 % above.
func (o OwnerType) VATPct(p *SystemParams, kWp float64) (pct float64, recovered bool) {
	if o != OwnerHousehold {
		return 0, true
	}
	if p.HouseholdReducedVATEligible.Value == 1 && kWp <= p.VATReducedMaxKWp.Value {
		return p.VATReducedPct.Value, false
	}
	if kWp <= p.VATIntermMaxKWp.Value {
		return p.VATIntermediatePct.Value, false
	}
	return p.VATStandardPct.Value, false
}

// RetailPrice returns the electricity price (€/kWh, year 1) avoided by a
// self-consumed kWh.
func (o OwnerType) RetailPrice(p *SystemParams) float64 {
	if o == OwnerHousehold {
		return p.PriceHouseholdEURPerKWh.Value
	}
	return p.PriceBusinessEURPerKWh.Value
}

// DiscountRatePct returns the owner's nominal discount rate, %/yr.
func (o OwnerType) DiscountRatePct(p *SystemParams) float64 {
	switch o {
	case OwnerBusiness, OwnerFarm:
		return p.DiscountRateBusiness.Value
	case OwnerCommunity:
		return p.DiscountRateCommunity.Value
	}
	return p.DiscountRateHousehold.Value
}

// OwnerForUse maps a building use (BD TOPO "usage_1"/BDNB usage labels, in
// French or English) to an owner type: residential → household,
// agricultural → farm, public/religious/sports/education → community,
// everything else (commercial, industrial, services, unknown) → business.
// The mapping is our assumption for the study; see the report's wiring plan.
func OwnerForUse(use string) OwnerType {
	switch use {
	case "Résidentiel", "residential", "Residentiel", "Logement":
		return OwnerHousehold
	case "Agricole", "agricultural", "Annexe agricole":
		return OwnerFarm
	case "Religieux", "Sportif", "Enseignement", "Administratif", "public", "education", "Santé":
		return OwnerCommunity
	}
	return OwnerBusiness
}
