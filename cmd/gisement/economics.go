package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/econ"
	pvmodel "github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

func init() { rootCmd.AddCommand(newEconomicsCmd()) }

// economicsOptions holds the parsed flags of `gisement economics`.
type economicsOptions struct {
	kWp             float64
	specificYield   float64
	owner           string
	selfConsumption string
	annualUseKWh    float64
	capexEURPerKWp  float64
	weatherPath     string
	weatherSite     int // --site: one site of a multi-site PVGIS file (issue 13)
	tiltDeg         float64
	azimuthDeg      float64
	jsonOutput      bool

	kWpGiven, yieldGiven, annualGiven, capexGiven bool

	// resolved by validate
	ownerType econ.OwnerType
	share     *float64 // fixed self-consumption share, nil = auto
}

func newEconomicsCmd() *cobra.Command {
	var o economicsOptions
	cmd := &cobra.Command{
		Use:   "economics --kwp KWP --specific-yield KWH_PER_KWP",
		Short: "Owner economics of one rooftop PV system (NPV, IRR, LCOE, payback) with a sensitivity table",
		Long: `Evaluates one rooftop PV installation for its owner with the same model as the
study: investment from a continuous capex curve (power law fitted through cited
French 2025 prices, € HT/kWp) plus the VAT the owner pays (household: 5.5 % up
to 9 kWc when the arrêté du 8 septembre 2025 conditions are met, otherwise
10 %/20 %; business, community, farm: VAT recovered); self-consumption from
matching an hourly PV profile (the weather year on the given plane, rescaled to
--specific-yield) against the BDEW 2025 standard load profile of the owner
(H25 household, G25 business/community, L25 farm) scaled to --annual-use; the
S21 tariffs and premiums of the current CRE quarter (first quarter of 2026) or
the simplified-tender price above 100 kWc, whichever sale option pays more;
O&M, one inverter replacement, degradation, price escalation, a 30-year life.

--self-consumption auto (default) uses the hourly matching; a number (e.g. 35)
fixes the self-consumed share of production in %. --capex replaces the capex
curve (€ HT per kWp). Every assumption with its source is printed with --json
("assumptions").`,
		Example: `  gisement economics --kwp 6 --specific-yield 1200
  gisement economics --kwp 36 --specific-yield 1150 --owner business --annual-use 60000 --json
  gisement economics --kwp 4.5 --specific-yield 1250 --self-consumption 40 --capex 1800`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			o.kWpGiven, o.yieldGiven = f.Changed("kwp"), f.Changed("specific-yield")
			o.annualGiven, o.capexGiven = f.Changed("annual-use"), f.Changed("capex")
			if err := o.validate(); err != nil {
				return badInput(err)
			}
			return runEconomics(cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.Float64Var(&o.kWp, "kwp", 0, "installed peak power, kWp (> 0) (required)")
	f.Float64Var(&o.specificYield, "specific-yield", 0, "year-1 AC production per kWp, kWh/kWp, in [1, 3000] (required)")
	f.StringVar(&o.owner, "owner", "household", "owner type: household, business, community or farm")
	f.StringVar(&o.selfConsumption, "self-consumption", "auto", "auto (hourly match against the owner's load profile) or a share of production in % (0–100)")
	f.Float64Var(&o.annualUseKWh, "annual-use", 0, "the building's annual electricity use, kWh/yr (default: 4,700 for a household; required for other owners with --self-consumption auto)")
	f.Float64Var(&o.capexEURPerKWp, "capex", 0, "investment, € HT per kWp, replacing the capex curve (> 0)")
	f.StringVar(&o.weatherPath, "weather", "", "weather file for the hourly PV shape (EPW, PVGIS, PVWatts, generic CSV; default: the embedded La Rochelle TMYx)")
	f.IntVar(&o.weatherSite, "site", 0, "site number (1-based) in a --weather file holding several sites (PVGIS multi-site CSV)")
	f.Float64Var(&o.tiltDeg, "tilt", 35, "module tilt for the hourly PV shape, degrees from horizontal [0, 90]")
	f.Float64Var(&o.azimuthDeg, "azimuth", 180, "module azimuth for the hourly PV shape, degrees clockwise from north (180 = south) [0, 360)")
	f.BoolVar(&o.jsonOutput, "json", false, "print a JSON object instead of a table")
	return cmd
}

// validate checks every flag and names the flag and the problem.
func (o *economicsOptions) validate() error {
	if !o.kWpGiven {
		return errors.New("--kwp is required (installed peak power, kWp)")
	}
	if !(o.kWp > 0) || math.IsInf(o.kWp, 0) || o.kWp > 1e5 {
		return fmt.Errorf("--kwp %g: must be > 0 and ≤ 100000", o.kWp)
	}
	if !o.yieldGiven {
		return errors.New("--specific-yield is required (kWh/kWp in year 1)")
	}
	if !(o.specificYield >= 1 && o.specificYield <= 3000) {
		return fmt.Errorf("--specific-yield %g: must be in [1, 3000] kWh/kWp", o.specificYield)
	}
	t, err := econ.ParseOwnerType(o.owner)
	if err != nil {
		return fmt.Errorf("--owner: %w", err)
	}
	o.ownerType = t
	switch sc := strings.TrimSuffix(strings.TrimSpace(o.selfConsumption), "%"); sc {
	case "auto", "":
	default:
		v, err := strconv.ParseFloat(sc, 64)
		if err != nil || !(v >= 0 && v <= 100) {
			return fmt.Errorf("--self-consumption %q: want auto or a percentage in [0, 100]", o.selfConsumption)
		}
		s := v / 100
		o.share = &s
	}
	if o.annualGiven && (!(o.annualUseKWh > 0) || math.IsInf(o.annualUseKWh, 0)) {
		return fmt.Errorf("--annual-use %g: must be > 0 kWh/yr", o.annualUseKWh)
	}
	if o.share == nil && !o.annualGiven && o.ownerType != econ.OwnerHousehold {
		return fmt.Errorf("--annual-use is required for --owner %s with --self-consumption auto (no default use for non-household buildings)", o.ownerType)
	}
	if o.capexGiven && (!(o.capexEURPerKWp > 0) || math.IsInf(o.capexEURPerKWp, 0)) {
		return fmt.Errorf("--capex %g: must be > 0 € HT/kWp", o.capexEURPerKWp)
	}
	if !(o.tiltDeg >= 0 && o.tiltDeg <= 90) {
		return fmt.Errorf("--tilt %g: must be in [0, 90]", o.tiltDeg)
	}
	if !(o.azimuthDeg >= 0 && o.azimuthDeg < 360) {
		return fmt.Errorf("--azimuth %g: must be in [0, 360)", o.azimuthDeg)
	}
	return nil
}

// economicsOutput is the JSON document of `gisement economics`.
type economicsOutput struct {
	Inputs      economicsInputs       `json:"inputs"`
	Result      econ.SystemResult     `json:"result"`
	Sensitivity []econ.SensitivityRow `json:"sensitivity"`
	CapexCurve  econ.CapexCurve       `json:"capex_curve"`
	Assumptions econ.SystemParams     `json:"assumptions"`
}

type economicsInputs struct {
	KWp                   float64 `json:"kwp"`
	SpecificYield         float64 `json:"specific_yield_kwh_kwp"`
	Owner                 string  `json:"owner"`
	SelfConsumption       string  `json:"self_consumption"`
	LoadProfile           string  `json:"load_profile,omitempty"`
	AnnualUseKWh          float64 `json:"annual_use_kwh,omitempty"`
	PVShapeWeather        string  `json:"pv_shape_weather,omitempty"`
	PVShapeTiltDeg        float64 `json:"pv_shape_tilt_deg,omitempty"`
	PVShapeAzimuthDeg     float64 `json:"pv_shape_azimuth_deg,omitempty"`
	CapexEURPerKWpHT      float64 `json:"capex_eur_per_kwp_ht,omitempty"`
	LoadProfileProvenance string  `json:"load_profile_provenance,omitempty"`
}

func runEconomics(w io.Writer, o economicsOptions) error {
	// The study's parameters: the default scenario's econ section (one
	// parameter system; econ.Params.SystemParams).
	sp := model.DefaultScenario().Econ.SystemParams()
	m, err := econ.NewOwnerEconomics(sp)
	if err != nil {
		return err
	}
	in := econ.SystemInput{Owner: o.ownerType, KWp: o.kWp, SpecificYield: o.specificYield, SelfConsumptionShare: o.share}
	if o.capexGiven {
		in.CapexEURPerKWpHT = o.capexEURPerKWp
	}
	inputs := economicsInputs{KWp: o.kWp, SpecificYield: o.specificYield, Owner: string(o.ownerType), SelfConsumption: o.selfConsumption, CapexEURPerKWpHT: in.CapexEURPerKWpHT}
	if o.share == nil {
		annual := o.annualUseKWh
		if !o.annualGiven {
			annual = m.P.HouseholdAnnualUseKWh.Value
		}
		kind := o.ownerType.LoadProfileKind()
		prof, err := econ.EmbeddedBDEWProfile(kind)
		if err != nil {
			return err
		}
		pv, src, err := economicsPVShape(o)
		if err != nil {
			return err
		}
		load, err := prof.HourlyLoad(2025, annual)
		if err != nil {
			return badInput(fmt.Errorf("--annual-use: %w", err))
		}
		in.PVProfile, in.Load = pv, load
		inputs.LoadProfile, inputs.AnnualUseKWh = "BDEW "+string(kind), annual
		inputs.LoadProfileProvenance = "BDEW Standardlastprofile Strom 2025 via oemof demandlib (MIT), commit 109c1c8; calendar 2025, French public holidays, EU summer time"
		inputs.PVShapeWeather, inputs.PVShapeTiltDeg, inputs.PVShapeAzimuthDeg = src, o.tiltDeg, o.azimuthDeg
	}
	res, err := m.Evaluate(in)
	if err != nil {
		if errors.Is(err, econ.ErrSystemInput) {
			return badInput(err)
		}
		return err
	}
	rows, err := m.Sensitivity(in)
	if err != nil {
		return err
	}
	if o.jsonOutput {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(economicsOutput{Inputs: inputs, Result: res, Sensitivity: rows, CapexCurve: m.Curve, Assumptions: m.P})
	}
	printEconomics(w, inputs, res, rows, m)
	return nil
}

// economicsPVShape simulates 1 kWp on the plane over the weather year and
// returns its hourly AC output indexed by hours since 1 January 00:00 CET
// (UTC+1), the time base of econ.BDEWProfile.HourlyLoad.
func economicsPVShape(o economicsOptions) ([]float64, string, error) {
	var s *weather.Series
	var err error
	if o.weatherPath != "" {
		if s, err = weather.Read(o.weatherPath, weather.Options{Site: o.weatherSite}); err != nil {
			return nil, "", badInput(fmt.Errorf("--weather: %w", err))
		}
	} else {
		f, err := sample.FS.Open(sample.Weather)
		if err != nil {
			return nil, "", fmt.Errorf("embedded sample weather: %w", err)
		}
		defer f.Close()
		if s, err = weather.ReadFrom(f, sample.Weather, weather.Options{}); err != nil {
			return nil, "", err
		}
	}
	sky, err := solar.PrepareSky(s, solar.SkyOptions{})
	if err != nil {
		return nil, "", badInput(fmt.Errorf("--weather %s: %w", s.Source, err))
	}
	pv, err := pvmodel.HourlyProfileCET(sky, solar.DefaultSystem(solar.ModelPVGIS, solar.MountRoof), o.tiltDeg, o.azimuthDeg)
	if err != nil {
		return nil, "", badInput(fmt.Errorf("--weather %s: %w", s.Source, err))
	}
	return pv, s.Source, nil
}

func printEconomics(w io.Writer, in economicsInputs, r econ.SystemResult, rows []econ.SensitivityRow, m *econ.OwnerEconomics) {
	owner := map[econ.OwnerType]string{econ.OwnerHousehold: "ménage", econ.OwnerBusiness: "entreprise", econ.OwnerCommunity: "collectivité / coopérative", econ.OwnerFarm: "exploitation agricole"}[r.Owner]
	fmt.Fprintf(w, "gisement economics — installation de %s kWc, %s kWh/kWc, propriétaire : %s\n\n", frNum(r.KWp, 1), frNum(r.SpecificYield, 0), owner)
	fmt.Fprintf(w, "Production an 1 : %s MWh ; autoconsommée %s MWh (%s %%, %s) ; injectée %s MWh\n",
		frNum(r.ProductionKWhYr1/1000, 2), frNum(r.SelfConsumedKWhYr1/1000, 2), frNum(100*r.SelfConsumptionShare, 1), scMethod(r, in), frNum(r.ExportedKWhYr1/1000, 2))
	if !math.IsNaN(r.LoadKWhYr) {
		fmt.Fprintf(w, "Consommation du bâtiment : %s MWh/an (profil %s) ; jamais d'autoconsommation au-delà de la consommation horaire\n", frNum(r.LoadKWhYr/1000, 2), in.LoadProfile)
	}
	vat := fmt.Sprintf("TVA %s %%", frNum(r.VATPct, 1))
	if r.VATRecovered {
		vat = "TVA récupérée (HT)"
	}
	fmt.Fprintf(w, "Investissement : %s € (%s € HT/Wc, %s)\n", frNum(r.InvestmentEUR, 0), frNum(r.CapexEURPerWpHT, 2), vat)
	opt := map[string]string{"surplus": "autoconsommation + vente du surplus", "full_sale": "vente en totalité"}[r.Option]
	fmt.Fprintf(w, "Soutien : tranche %s, %s à %s c€/kWh pendant %s ans, prime %s € sur %d an(s) [%s]\n",
		r.Band, opt, frNum(100*r.TariffEURPerKWh, 2), frNum(m.P.ContractYears.Value, 0), frNum(r.PremiumEUR, 0), r.PremiumYears, r.TariffDate)
	fmt.Fprintf(w, "An 1 : économies %s €, vente %s €, exploitation %s € ; onduleur %s € aux années %v\n",
		frNum(r.AnnualSavingsEUR, 0), frNum(r.AnnualRevenueEUR, 0), frNum(r.AnnualOMEUR, 0), frNum(r.InverterReplacementEUR, 0), r.InverterYears)
	fmt.Fprintf(w, "Durée de vie %d ans, actualisation %s %%/an\n\n", r.LifetimeYr, frNum(r.DiscountRatePct, 1))
	fmt.Fprintf(w, "VAN %s € (%s €/kWc) ; TRI %s ; LCOE %s c€/kWh ; retour simple %s, actualisé %s\n\n",
		frNum(r.NPVEUR, 0), frNum(r.NPVPerKWp, 0), pctOrNA(r.IRRPct), frNum(100*r.LCOEEURPerKWh, 1), yrOrNever(r.SimplePaybackYr), yrOrNever(r.DiscountedPaybackYr))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "sensibilité\tVAN €\tTRI\tLCOE c€/kWh\tretour\tautocons.\t")
	for _, s := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s %%\t\n", s.Case, frNum(s.NPVEUR, 0), pctOrNA(s.IRRPct), frNum(100*s.LCOEEURPerKWh, 1), yrOrNever(s.SimplePaybackYr), frNum(100*s.SelfConsumptionShare, 0))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nTarifs : %s\nHypothèses et sources : gisement economics --json (champ \"assumptions\").\n", r.TariffSource)
}

func scMethod(r econ.SystemResult, in economicsInputs) string {
	if r.SelfConsumptionMethod == "hourly" {
		return "calcul horaire"
	}
	if r.Option == "full_sale" {
		return "vente totale"
	}
	return "valeur imposée"
}

// frNum formats x with d decimals, a French decimal comma and thin-space
// thousands separators.
func frNum(x float64, d int) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if math.IsInf(x, 0) {
		return "∞"
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', d, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], ","+s[i+1:]
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	sign := ""
	if x < 0 && strings.Trim(s, "0.") != "" {
		sign = "−"
	}
	return sign + b.String() + frac
}

func pctOrNA(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return frNum(x, 1) + " %"
}

func yrOrNever(x float64) string {
	if math.IsInf(x, 1) {
		return "jamais"
	}
	return frNum(x, 1) + " ans"
}
