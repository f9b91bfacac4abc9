// Package model holds gisement's Scenario: the composition of the
// assumptions of each model domain — rooftop PV (model/pv), heat demand and
// heat pumps (model/heat), free land, siting, ground PV and car parks
// (model/land), costs, tariffs and finance (model/econ) and the Monte Carlo
// (model/uncertainty) — each a Params struct of scenario.Param values
// (value, unit, source, date; model/scenario). The study pipeline
// (model/study) passes each domain its own Params.
//
// A Scenario loads from YAML or JSON merged over the defaults (unknown keys
// rejected with file, line and key path), validates, hashes (results carry
// the hash) and lists its assumptions for reports.
package model
