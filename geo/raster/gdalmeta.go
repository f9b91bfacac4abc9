package raster

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// GDALMetadata is the content of GDAL's GDAL_METADATA TIFF tag (42112), an
// XML document of <Item name=".." [sample="N"] [role=".."] [domain=".."]>
// elements written by the GDAL GTiff driver: items without a sample attribute
// belong to the dataset, items with sample="N" to band N+1; the roles
// "description", "unittype", "scale" and "offset" carry the band
// description, its unit and the linear transform value·scale + offset
// (GDAL raster data model, "Band" section). Only the default domain is kept.
type GDALMetadata struct {
	// Dataset holds the dataset-level items of the default domain (e.g.
	// "BAND_1" = "annual global horizontal irradiation kWh/m2/yr").
	Dataset map[string]string
	// Bands is indexed by band (0-based); it has as many entries as the
	// highest sample number seen plus one.
	Bands []BandMetadata
}

// BandMetadata is what GDAL stores about one band.
type BandMetadata struct {
	Description string
	Unit        string
	// Scale and Offset: value = raw·Scale + Offset (HasScale when given).
	Scale, Offset float64
	HasScale      bool
	Items         map[string]string
}

// maxMetadataBands bounds the sample attribute (a hostile document could
// otherwise make Bands huge).
const maxMetadataBands = 4096

var errGDALMetadata = errors.New("invalid GDAL metadata")

// ParseGDALMetadata parses the XML of a GDAL_METADATA tag.
func ParseGDALMetadata(s string) (GDALMetadata, error) {
	var doc struct {
		XMLName xml.Name `xml:"GDALMetadata"`
		Items   []struct {
			Name   string `xml:"name,attr"`
			Sample string `xml:"sample,attr"`
			Role   string `xml:"role,attr"`
			Domain string `xml:"domain,attr"`
			Value  string `xml:",chardata"`
		} `xml:"Item"`
	}
	md := GDALMetadata{Dataset: map[string]string{}}
	if strings.TrimSpace(s) == "" {
		return md, nil
	}
	if err := xml.Unmarshal([]byte(s), &doc); err != nil {
		return md, fmt.Errorf("%w: %v", errGDALMetadata, err)
	}
	for _, it := range doc.Items {
		if it.Domain != "" {
			continue
		}
		v := strings.TrimSpace(it.Value)
		if it.Sample == "" {
			md.Dataset[it.Name] = v
			continue
		}
		n, err := strconv.Atoi(it.Sample)
		if err != nil || n < 0 || n >= maxMetadataBands {
			return md, fmt.Errorf("%w: item %q: sample %q is not a band number in [0, %d)", errGDALMetadata, it.Name, it.Sample, maxMetadataBands)
		}
		for len(md.Bands) <= n {
			md.Bands = append(md.Bands, BandMetadata{Scale: 1, Items: map[string]string{}})
		}
		b := &md.Bands[n]
		switch strings.ToLower(it.Role) {
		case "description":
			b.Description = v
		case "unittype":
			b.Unit = v
		case "scale", "offset":
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return md, fmt.Errorf("%w: band %d %s %q is not a number", errGDALMetadata, n+1, it.Role, v)
			}
			if strings.EqualFold(it.Role, "scale") {
				b.Scale = x
			} else {
				b.Offset = x
			}
			b.HasScale = true
		default:
			b.Items[it.Name] = v
		}
	}
	return md, nil
}

// Band returns the metadata of band i (0-based), empty when absent.
func (m GDALMetadata) Band(i int) BandMetadata {
	if i >= 0 && i < len(m.Bands) {
		return m.Bands[i]
	}
	return BandMetadata{Scale: 1}
}
