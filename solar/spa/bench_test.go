package spa

import "testing"

var sinkResult Result

// BenchmarkPosition: one instant (the SPA worked example).
func BenchmarkPosition(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkResult = Position(exampleTime, exampleLat, exampleLon, exampleOpts)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "instants/s")
}

// BenchmarkPositionYear: the 8760 hourly instants of 2023 (mid-hour, UTC) at
// Périgueux (45.184 N, 0.7218 E), default options (ΔT estimated per
// instant), through the batch helper into a reused slice.
func BenchmarkPositionYear(b *testing.B) {
	times := hourly2023()
	out := make([]Result, len(times))
	b.ReportAllocs()
	for b.Loop() {
		Positions(times, 45.184, 0.7218, Options{}, out)
	}
	b.ReportMetric(float64(b.N)*float64(len(times))/b.Elapsed().Seconds(), "instants/s")
}

// BenchmarkPositionDay: 24 instants, to show linear cost with the count.
func BenchmarkPositionDay(b *testing.B) {
	times := hourly2023()[:24]
	out := make([]Result, len(times))
	b.ReportAllocs()
	for b.Loop() {
		Positions(times, 45.184, 0.7218, Options{}, out)
	}
	b.ReportMetric(float64(b.N)*float64(len(times))/b.Elapsed().Seconds(), "instants/s")
}
