package redact_test

import (
	"fmt"

	"github.com/gisement/gisement/internal/redact"
)

func ExampleCredentials() {
	fmt.Println(redact.Credentials("--db postgres://alec:hunter2@db.local/gisement"))
	fmt.Println(redact.Credentials("--db 'postgres://alec@db.local/gisement?password=hunter2'"))
	fmt.Println(redact.Credentials("host=db.local user=alec password=hunter2"))
	// Output:
	// --db postgres://alec:***@db.local/gisement
	// --db 'postgres://alec@db.local/gisement?password=***'
	// host=db.local user=alec password=***
}

func ExamplePaths() {
	fmt.Println(redact.Paths("open /tmp/gisement-job-42/parcels.geojson: permission denied"))
	// Output: open parcels.geojson: permission denied
}
