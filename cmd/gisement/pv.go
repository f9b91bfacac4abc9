package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

func init() { rootCmd.AddCommand(newPVCmd()) }

// pvOptions holds the parsed flags of `gisement pv`.
type pvOptions struct {
	weatherPath   string
	weatherSite   int // --site: one site of a multi-site PVGIS file (issue 13)
	format        string
	tiltDeg       float64
	azimuthDeg    float64
	latDeg        float64
	lonDeg        float64
	elevationM    float64
	albedo        float64
	transposition string
	peakPowerKW   float64
	lossPct       float64
	model         string
	mounting      string
	dcACRatio     float64
	inverterPct   float64
	horizonPath   string
	jsonOutput    bool

	tiltGiven, azimuthGiven, latGiven, lonGiven, elevGiven, lossGiven bool

	// resolved by validate
	tr    solar.Transposition
	m     solar.Model
	mount solar.Mounting
}

func newPVCmd() *cobra.Command {
	var o pvOptions
	cmd := &cobra.Command{
		Use:   "pv --weather FILE --tilt DEG --azimuth DEG",
		Short: "Annual PV yield of one plane from a weather year (PVGIS or PVWatts model)",
		Long: `Simulates one PV plane over a weather file (EPW, PVGIS TMY/seriescalc CSV or
JSON, NREL PVWatts 8760 CSV, generic CSV): sun position (NREL SPA), transposition
(Perez 1990 by default), horizon shading, reflection losses, module temperature,
DC power and inverter, and prints annual and monthly plane-of-array
irradiation (kWh/m²), AC energy (kWh), specific yield (kWh/kWp) and each loss
step in %.

Models: "pvgis" (Martin–Ruiz IAM, Faiman temperature, Huld 2011 c-Si power,
one system loss, default 14 %) or "pvwatts" (PVWatts v5: physical IAM, Fuentes
cell temperature with INOCT 45/49 °C, γ = −0.47 %/°C, losses default 14.08 %,
inverter part-load curve and DC/AC clipping).
Conventions: tilt from horizontal; azimuth clockwise from north (180 = south).`,
		Example: `  gisement pv --weather pvwatts_8760_roofmount.csv.gz --tilt 20 --azimuth 180 \
      --model pvwatts --mounting roof --peak-power 4 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			o.tiltGiven, o.azimuthGiven = f.Changed("tilt"), f.Changed("azimuth")
			o.latGiven, o.lonGiven, o.elevGiven = f.Changed("lat"), f.Changed("lon"), f.Changed("elevation")
			o.lossGiven = f.Changed("loss")
			if err := o.validate(); err != nil {
				return badInput(err)
			}
			return runPV(cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.weatherPath, "weather", "", "weather file (EPW, PVGIS, PVWatts 8760 or generic CSV; .gz accepted) (required)")
	f.IntVar(&o.weatherSite, "site", 0, "site number (1-based) in a --weather file holding several sites (PVGIS multi-site CSV)")
	f.StringVar(&o.format, "format", "", "force the weather format (default: detected)")
	f.Float64Var(&o.tiltDeg, "tilt", 0, "plane tilt from horizontal, degrees, in [0, 90] (required)")
	f.Float64Var(&o.azimuthDeg, "azimuth", 180, "plane azimuth clockwise from north, degrees, in [0, 360] (required; 180 = south)")
	f.Float64Var(&o.latDeg, "lat", 0, "site latitude, degrees north (required for generic CSV; overrides the file)")
	f.Float64Var(&o.lonDeg, "lon", 0, "site longitude, degrees east (required for generic CSV; overrides the file)")
	f.Float64Var(&o.elevationM, "elevation", 0, "site elevation, m (overrides the file)")
	f.Float64Var(&o.albedo, "albedo", solar.DefaultAlbedo, "ground albedo, in [0, 1]")
	f.StringVar(&o.transposition, "transposition", "perez", "sky diffuse model: perez, haydavies or isotropic")
	f.Float64Var(&o.peakPowerKW, "peak-power", 1, "DC peak power, kWp (> 0)")
	f.Float64Var(&o.lossPct, "loss", solar.DefaultPVGISLossPct, "system losses, % in [0, 100) (default 14 for pvgis, 14.08 for pvwatts)")
	f.StringVar(&o.model, "model", "pvgis", "PV model: pvgis or pvwatts")
	f.StringVar(&o.mounting, "mounting", "free", "mounting: free (open rack) or roof")
	f.Float64Var(&o.dcACRatio, "dc-ac-ratio", 1.2, "DC/AC ratio (pvwatts), in (0, 10]")
	f.Float64Var(&o.inverterPct, "inverter-efficiency", 96, "nominal inverter efficiency, % in (50, 100] (pvwatts)")
	f.StringVar(&o.horizonPath, "horizon", "", "horizon profile CSV (PVGIS printhorizon or horizon_azimuth,horizon_elevation)")
	f.BoolVar(&o.jsonOutput, "json", false, "print a JSON object instead of a table")
	return cmd
}

// validate checks every flag and names the flag and the problem.
func (o *pvOptions) validate() error {
	var err error
	switch {
	case o.weatherPath == "":
		return errors.New("--weather is required")
	case !o.tiltGiven:
		return errors.New("--tilt is required (degrees from horizontal, 0–90)")
	case !(o.tiltDeg >= 0 && o.tiltDeg <= 90):
		return fmt.Errorf("--tilt %g not in [0, 90] degrees", o.tiltDeg)
	case !(o.azimuthDeg >= 0 && o.azimuthDeg <= 360):
		return fmt.Errorf("--azimuth %g not in [0, 360] degrees (clockwise from north)", o.azimuthDeg)
	case o.latGiven && !(o.latDeg >= -90 && o.latDeg <= 90):
		return fmt.Errorf("--lat %g not in [-90, 90] degrees", o.latDeg)
	case o.lonGiven && !(o.lonDeg >= -180 && o.lonDeg <= 180):
		return fmt.Errorf("--lon %g not in [-180, 180] degrees", o.lonDeg)
	case o.elevGiven && !(o.elevationM >= -500 && o.elevationM <= 9000):
		return fmt.Errorf("--elevation %g not in [-500, 9000] m", o.elevationM)
	case !(o.albedo >= 0 && o.albedo <= 1):
		return fmt.Errorf("--albedo %g not in [0, 1]", o.albedo)
	case !(o.peakPowerKW > 0 && o.peakPowerKW < 1e7):
		return fmt.Errorf("--peak-power %g kWp must be > 0", o.peakPowerKW)
	case !(o.lossPct >= 0 && o.lossPct < 100):
		return fmt.Errorf("--loss %g not in [0, 100) %%", o.lossPct)
	case !(o.dcACRatio > 0 && o.dcACRatio <= 10):
		return fmt.Errorf("--dc-ac-ratio %g not in (0, 10]", o.dcACRatio)
	case !(o.inverterPct > 50 && o.inverterPct <= 100):
		return fmt.Errorf("--inverter-efficiency %g not in (50, 100] %%", o.inverterPct)
	}
	if o.tr, err = solar.ParseTransposition(o.transposition); err != nil {
		return fmt.Errorf("--transposition: %w", err)
	}
	if o.m, err = solar.ParseModel(o.model); err != nil {
		return fmt.Errorf("--model: %w", err)
	}
	if o.mount, err = solar.ParseMounting(o.mounting); err != nil {
		return fmt.Errorf("--mounting: %w", err)
	}
	if !o.lossGiven && o.m == solar.ModelPVWatts {
		o.lossPct = solar.DefaultPVWattsLossPct
	}
	return nil
}

type pvInputs struct {
	Weather             string  `json:"weather"`
	WeatherFormat       string  `json:"weather_format"`
	Site                string  `json:"site,omitempty"`
	LatDeg              float64 `json:"lat_deg"`
	LonDeg              float64 `json:"lon_deg"`
	ElevationM          float64 `json:"elevation_m"`
	Records             int     `json:"records"`
	SunUpSteps          int     `json:"sun_up_steps"`
	CompletedRecords    int     `json:"completed_irradiance_records"`
	NoIrradianceRecords int     `json:"no_irradiance_records"`
	TiltDeg             float64 `json:"tilt_deg"`
	AzimuthDeg          float64 `json:"azimuth_deg"`
	Albedo              float64 `json:"albedo"`
	Transposition       string  `json:"transposition"`
	Model               string  `json:"model"`
	Mounting            string  `json:"mounting"`
	PeakPowerKW         float64 `json:"peak_power_kw"`
	LossPct             float64 `json:"loss_pct"`
	DCACRatio           float64 `json:"dc_ac_ratio,omitempty"`
	InverterEffPct      float64 `json:"inverter_efficiency_pct,omitempty"`
	Horizon             string  `json:"horizon,omitempty"`
	HorizonDirections   int     `json:"horizon_directions,omitempty"`
}

type pvOutput struct {
	POAKWhM2            float64         `json:"poa_kwh_m2"`
	EnergyKWh           float64         `json:"energy_kwh"`
	SpecificYieldKWhKWp float64         `json:"specific_yield_kwh_kwp"`
	Monthly             []solar.Monthly `json:"monthly"`
	Losses              solar.Losses    `json:"losses"`
	Inputs              pvInputs        `json:"inputs"`
}

func runPV(w io.Writer, o pvOptions) error {
	wo := weather.Options{Format: o.format, Site: o.weatherSite}
	if o.latGiven {
		wo.LatDeg = &o.latDeg
	}
	if o.lonGiven {
		wo.LonDeg = &o.lonDeg
	}
	if o.elevGiven {
		wo.ElevationM = &o.elevationM
	}
	s, err := weather.Read(o.weatherPath, wo)
	if err != nil {
		var pe *weather.ParseError
		if errors.As(err, &pe) || errors.Is(err, fs.ErrNotExist) {
			return badInput(fmt.Errorf("--weather: %w", err))
		}
		// Any other reader error is about the file's content too.
		return badInput(fmt.Errorf("--weather: %w", err))
	}
	var h *solar.Horizon
	if o.horizonPath != "" {
		if h, err = solar.ReadHorizonFile(o.horizonPath); err != nil {
			return badInput(fmt.Errorf("--horizon: %w", err))
		}
	}
	sky, err := solar.PrepareSky(s, solar.SkyOptions{Transposition: o.tr, Albedo: o.albedo, AlbedoKnown: true})
	if err != nil {
		if errors.Is(err, solar.ErrNoSite) {
			return badInput(fmt.Errorf("--weather: %w (give --lat and --lon)", err))
		}
		return err
	}
	if sky.Len() > 0 && sky.NoIrradiance == sky.Len() {
		return badInput(fmt.Errorf("--weather %s: no horizontal irradiance (GHI, DNI or DHI) in any sun-up record; in-plane-only files cannot be re-transposed", s.Source))
	}
	sys := solar.DefaultSystem(o.m, o.mount)
	sys.PeakPowerKW, sys.LossPct, sys.DCACRatio, sys.InverterEffPct = o.peakPowerKW, o.lossPct, o.dcACRatio, o.inverterPct
	if err := sys.Validate(); err != nil {
		return badInput(err)
	}
	res := sky.Annual(solar.Plane{TiltDeg: o.tiltDeg, AzimuthDeg: o.azimuthDeg}, h, sys)
	out := pvOutput{
		POAKWhM2: res.POAKWhM2, EnergyKWh: res.EnergyKWh, SpecificYieldKWhKWp: res.SpecificYieldKWhKWp,
		Monthly: res.Monthly[:], Losses: res.Losses,
		Inputs: pvInputs{Weather: s.Source, WeatherFormat: s.Format, Site: s.Site, LatDeg: s.LatDeg, LonDeg: s.LonDeg,
			ElevationM: sky.ElevationM, Records: sky.NRecords, SunUpSteps: sky.Len(), CompletedRecords: sky.Completed,
			NoIrradianceRecords: sky.NoIrradiance, TiltDeg: o.tiltDeg, AzimuthDeg: o.azimuthDeg, Albedo: sky.Albedo,
			Transposition: o.tr.String(), Model: o.m.String(), Mounting: o.mount.String(), PeakPowerKW: o.peakPowerKW,
			LossPct: o.lossPct, Horizon: o.horizonPath},
	}
	if o.m == solar.ModelPVWatts {
		out.Inputs.DCACRatio, out.Inputs.InverterEffPct = o.dcACRatio, o.inverterPct
	}
	if h != nil {
		out.Inputs.HorizonDirections = len(h.ElevationDeg)
	}
	if math.IsNaN(out.Inputs.LatDeg) || math.IsNaN(out.Inputs.LonDeg) {
		return badInput(errors.New("--weather: the file gives no site; use --lat and --lon"))
	}
	if o.jsonOutput {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "gisement pv — %s (%s), %.4f°N %.4f°E, %.0f m\n", s.Source, s.Format, s.LatDeg, s.LonDeg, sky.ElevationM)
	fmt.Fprintf(w, "plane tilt %.1f°, azimuth %.1f° (180 = south); model %s, %s mount, %.3g kWp, losses %.2f %%, %s, albedo %.2f\n\n",
		o.tiltDeg, o.azimuthDeg, o.m, o.mount, o.peakPowerKW, o.lossPct, o.tr, sky.Albedo)
	fmt.Fprintln(tw, "month\tPOA kWh/m²\tenergy kWh\t")
	for _, m := range res.Monthly {
		fmt.Fprintf(tw, "%d\t%.1f\t%.1f\t\n", m.Month, m.POAKWhM2, m.EnergyKWh)
	}
	fmt.Fprintf(tw, "year\t%.1f\t%.1f\t\n", res.POAKWhM2, res.EnergyKWh)
	tw.Flush()
	if sky.NoIrradiance > 0 || sky.Completed > 0 {
		fmt.Fprintf(w, "\nnote: %d sun-up records had no irradiance (counted as 0), %d had a component derived (closure or Erbs)\n", sky.NoIrradiance, sky.Completed)
	}
	fmt.Fprintf(w, "\nspecific yield: %.1f kWh/kWp\n", res.SpecificYieldKWhKWp)
	l := res.Losses
	fmt.Fprintf(w, "losses (%% of the energy entering each step): horizon %.2f, IAM %.2f, spectral %.2f, temperature %.2f, system %.2f, inverter %.2f, clipping %.2f\n",
		l.HorizonPct, l.IAMPct, l.SpectralPct, l.TemperaturePct, l.SystemPct, l.InverterPct, l.ClippingPct)
	return nil
}
