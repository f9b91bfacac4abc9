package gpkg

import (
	"bytes"
	"os"
	"strconv"
)

// writtenBytes returns the bytes this process passed to write system calls
// so far (wchar of /proc/self/io, proc(5)): a count of the I/O work that,
// unlike the time, does not depend on the load of the shared machine.
func writtenBytes() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("wchar: ")); ok {
			n, _ := strconv.ParseInt(string(v), 10, 64)
			return n
		}
	}
	return 0
}
