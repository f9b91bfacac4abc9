package postgis

import "sync/atomic"

var schemaSeq atomic.Int64
