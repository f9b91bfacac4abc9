package sqlq

import (
	"encoding/json"
	"fmt"

	"github.com/gisement/gisement/data"
)

// FromDB converts a scanned database value to the canonical type of column
// c (int64, float64, string, json.RawMessage, or nil).
func FromDB(c data.Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch c.Type {
	case data.Integer:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case float64:
			return int64(x), nil
		}
	case data.Real:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		}
	case data.Text:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case data.JSON:
		switch x := v.(type) {
		case string:
			return json.RawMessage(x), nil
		case []byte:
			return json.RawMessage(append([]byte(nil), x...)), nil
		default:
			b, err := json.Marshal(x)
			if err != nil {
				return nil, err
			}
			return json.RawMessage(b), nil
		}
	}
	return nil, fmt.Errorf("column %s (%s): unexpected stored value %T", c.Name, c.Type, v)
}
