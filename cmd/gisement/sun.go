package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/solar/spa"
)

func init() { rootCmd.AddCommand(newSunCmd()) }

// sunOptions holds the parsed flags of `gisement sun`.
type sunOptions struct {
	timeText     string
	latDeg       float64
	lonDeg       float64
	elevationM   float64
	pressureHPa  float64
	tempC        float64
	deltaTS      float64
	deltaTGiven  bool
	latGiven     bool
	lonGiven     bool
	jsonOutput   bool
	timeInstance time.Time // timeText parsed by validate
}

func newSunCmd() *cobra.Command {
	var o sunOptions
	cmd := &cobra.Command{
		Use:   "sun --time RFC3339 --lat DEG --lon DEG",
		Short: "Sun position (zenith, azimuth, elevation) at one instant with NREL SPA",
		Long: `Computes the topocentric sun position with the NREL Solar Position Algorithm
(Reda & Andreas, Solar Energy 76(5), 2004, doi:10.1016/j.solener.2003.12.003).

Angles in degrees; azimuth clockwise from north (180 = south). "zenith" and
"elevation" are geometric; "apparent_zenith" and "apparent_elevation" include
atmospheric refraction for the given pressure and temperature. ΔT (TT − UT1)
is estimated from the date with the Espenak–Meeus polynomials unless
--delta-t is given.`,
		Example: `  gisement sun --time 2003-10-17T12:30:30-07:00 --lat 39.742476 --lon -105.1786 \
      --elevation 1830.14 --pressure 820 --temperature 11 --delta-t 67 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			o.latGiven, o.lonGiven, o.deltaTGiven = f.Changed("lat"), f.Changed("lon"), f.Changed("delta-t")
			if err := o.validate(); err != nil {
				return badInput(err)
			}
			return runSun(cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.timeText, "time", "", "instant, RFC 3339 with UTC offset (e.g. 2023-06-21T12:00:00+02:00) (required)")
	f.Float64Var(&o.latDeg, "lat", 0, "latitude, degrees north, in [-90, 90] (required)")
	f.Float64Var(&o.lonDeg, "lon", 0, "longitude, degrees east, in [-180, 180] (required)")
	f.Float64Var(&o.elevationM, "elevation", 0, "observer elevation above sea level, m")
	f.Float64Var(&o.pressureHPa, "pressure", spa.DefaultPressureHPa, "annual mean air pressure, hPa (> 0)")
	f.Float64Var(&o.tempC, "temperature", spa.DefaultTempC, "annual mean air temperature, °C")
	f.Float64Var(&o.deltaTS, "delta-t", 0, "ΔT = TT − UT1, s (default: estimated from the date)")
	f.BoolVar(&o.jsonOutput, "json", false, "print a JSON object instead of a table")
	return cmd
}

// validate checks every flag and names the flag and the problem.
func (o *sunOptions) validate() error {
	if o.timeText == "" {
		return fmt.Errorf("--time is required (RFC 3339 with UTC offset, e.g. 2023-06-21T12:00:00+02:00)")
	}
	t, err := time.Parse(time.RFC3339Nano, o.timeText)
	if err != nil {
		return fmt.Errorf("--time %q: not an RFC 3339 instant with UTC offset (e.g. 2023-06-21T12:00:00+02:00): %w", o.timeText, err)
	}
	o.timeInstance = t
	if !o.latGiven {
		return fmt.Errorf("--lat is required (degrees north, in [-90, 90])")
	}
	if !o.lonGiven {
		return fmt.Errorf("--lon is required (degrees east, in [-180, 180])")
	}
	checks := []struct {
		flag     string
		v        float64
		min, max float64
		unit     string
	}{
		{"--lat", o.latDeg, -90, 90, "degrees"},
		{"--lon", o.lonDeg, -180, 180, "degrees"},
		{"--elevation", o.elevationM, -500, 10000, "m"},
		{"--temperature", o.tempC, -100, 100, "°C"},
		{"--delta-t", o.deltaTS, -1e6, 1e6, "s"},
	}
	for _, c := range checks {
		if math.IsNaN(c.v) || math.IsInf(c.v, 0) {
			return fmt.Errorf("%s %v: must be a finite number", c.flag, c.v)
		}
		if c.v < c.min || c.v > c.max {
			return fmt.Errorf("%s %v: out of range [%v, %v] %s", c.flag, c.v, c.min, c.max, c.unit)
		}
	}
	if math.IsNaN(o.pressureHPa) || math.IsInf(o.pressureHPa, 0) || o.pressureHPa <= 0 {
		return fmt.Errorf("--pressure %v: must be a finite number > 0 hPa", o.pressureHPa)
	}
	return nil
}

// sunInputs echoes the resolved inputs in the JSON output.
type sunInputs struct {
	Time            string  `json:"time"`
	TimeUTC         string  `json:"time_utc"`
	LatDeg          float64 `json:"lat"`
	LonDeg          float64 `json:"lon"`
	ElevationM      float64 `json:"elevation_m"`
	PressureHPa     float64 `json:"pressure_hpa"`
	TemperatureC    float64 `json:"temperature_c"`
	DeltaTS         float64 `json:"delta_t_s"`
	DeltaTSource    string  `json:"delta_t_source"`
	AtmosRefractDeg float64 `json:"atmos_refract_deg"`
}

// sunOutput is the JSON document of `gisement sun --json`. Angles in
// degrees, azimuth clockwise from north, delta_t in seconds.
type sunOutput struct {
	Zenith            float64   `json:"zenith"`
	ApparentZenith    float64   `json:"apparent_zenith"`
	Azimuth           float64   `json:"azimuth"`
	Elevation         float64   `json:"elevation"`
	ApparentElevation float64   `json:"apparent_elevation"`
	DeltaT            float64   `json:"delta_t"`
	EquationOfTimeMin float64   `json:"equation_of_time_min"`
	Inputs            sunInputs `json:"inputs"`
}

func runSun(w io.Writer, o sunOptions) error {
	opts := spa.Options{
		ElevationM:  o.elevationM,
		PressureHPa: o.pressureHPa,
		TempC:       o.tempC,
		TempKnown:   true,
		DeltaTS:     o.deltaTS,
		DeltaTKnown: o.deltaTGiven,
	}
	r := spa.Position(o.timeInstance, o.latDeg, o.lonDeg, opts)
	src := "estimated (Espenak & Meeus 2006 polynomials)"
	if o.deltaTGiven {
		src = "given"
	}
	out := sunOutput{
		Zenith:            r.ZenithDeg,
		ApparentZenith:    r.ApparentZenithDeg,
		Azimuth:           r.AzimuthDeg,
		Elevation:         r.ElevationDeg,
		ApparentElevation: r.ApparentElevationDeg,
		DeltaT:            r.DeltaTS,
		EquationOfTimeMin: r.EquationOfTimeMin,
		Inputs: sunInputs{
			Time:            o.timeInstance.Format(time.RFC3339Nano),
			TimeUTC:         o.timeInstance.UTC().Format(time.RFC3339Nano),
			LatDeg:          o.latDeg,
			LonDeg:          o.lonDeg,
			ElevationM:      o.elevationM,
			PressureHPa:     o.pressureHPa,
			TemperatureC:    o.tempC,
			DeltaTS:         r.DeltaTS,
			DeltaTSource:    src,
			AtmosRefractDeg: spa.DefaultAtmosRefractDeg,
		},
	}
	if o.jsonOutput {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Sun position (NREL SPA, Reda & Andreas 2004)\n")
	fmt.Fprintf(tw, "time\t%s\t(UTC %s)\n", out.Inputs.Time, out.Inputs.TimeUTC)
	fmt.Fprintf(tw, "latitude, longitude\t%.6f, %.6f\t°\n", o.latDeg, o.lonDeg)
	fmt.Fprintf(tw, "elevation\t%.2f\tm\n", o.elevationM)
	fmt.Fprintf(tw, "pressure, temperature\t%.2f hPa, %.1f °C\t\n", o.pressureHPa, o.tempC)
	fmt.Fprintf(tw, "ΔT\t%.3f\ts (%s)\n", r.DeltaTS, src)
	fmt.Fprintf(tw, "zenith\t%.6f\t° (geometric)\n", r.ZenithDeg)
	fmt.Fprintf(tw, "apparent zenith\t%.6f\t° (with refraction)\n", r.ApparentZenithDeg)
	fmt.Fprintf(tw, "azimuth\t%.6f\t° (clockwise from north, 180 = south)\n", r.AzimuthDeg)
	fmt.Fprintf(tw, "elevation angle\t%.6f\t° (geometric)\n", r.ElevationDeg)
	fmt.Fprintf(tw, "apparent elevation\t%.6f\t° (with refraction)\n", r.ApparentElevationDeg)
	fmt.Fprintf(tw, "equation of time\t%.3f\tmin\n", r.EquationOfTimeMin)
	return tw.Flush()
}
