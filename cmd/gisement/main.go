// Command gisement estimates the solar PV and heat-pump potential of a
// territory per roof plane, building and parcel.
//
// The binary is thin: each subcommand (one file each: sun.go, pv.go,
// study.go, ...) parses its flags into an options struct and calls the core
// packages. Subcommands register themselves on rootCmd from an init function.
//
// Exit codes: 0 success, 1 internal or I/O failure (including a GeoPackage
// output locked by another writer for longer than the lock wait), 2 bad input
// (usage error, malformed file, value out of range, a --from file that is not
// a GeoPackage, an output directory that is not writable). Error messages are
// passed through internal/redact: no password of a connection URL is printed.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/internal/redact"
)

var rootCmd = &cobra.Command{
	Use:           "gisement",
	Short:         "Renewable-energy potential pre-study engine (rooftop PV, heat pumps) per roof, building and parcel",
	SilenceUsage:  true,
	SilenceErrors: true,
}

// inputError marks an error caused by the user's input (flags or files):
// the command exits with code 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// badInput wraps err so that main exits with code 2.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}

func main() {
	rootCmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return badInput(err) })
	if err := rootCmd.Execute(); err != nil {
		// Credentials of --db or of an error text never reach the terminal.
		fmt.Fprintln(os.Stderr, "gisement:", redact.Credentials(err.Error()))
		var ie inputError
		if errors.As(err, &ie) || isUsageError(err) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// isUsageError reports cobra's own argument errors (unknown command, bad args).
func isUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "required flag", "accepts ", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
