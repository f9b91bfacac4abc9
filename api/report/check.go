package report

import (
	"html"
	"regexp"
	"slices"
	"strings"
)

// englishWords are common English words that are not French words: one of
// them in the visible text of a French annex means an English sentence or
// label slipped through.
var englishWords = []string{
	"the", "of", "and", "with", "our", "assumption", "default", "from", "for", "which", "is", "are", "not",
	"this", "that", "roof", "roofs", "yield", "parcel", "parcels", "building", "buildings", "weather",
	"year", "years", "demand", "shading", "loss", "heat", "pump", "pumps", "power", "economic", "technical",
	"potential", "unknown", "pitched", "flat", "good", "poor", "attribute", "none", "yes", "no", "per", "kWp", "yr",
}

var (
	origRe  = regexp.MustCompile(`(?s)<(td|li|span)[^>]*class="[^"]*\b(orig|id)\b[^"]*"[^>]*>.*?</(td|li|span)>|<cite>.*?</cite>`)
	styleRe = regexp.MustCompile(`(?s)<(style|script|title)[^>]*>.*?</(style|script|title)>`)
	tagRe   = regexp.MustCompile(`<[^>]+>`)
	wordRe  = regexp.MustCompile(`[\p{L}\p{N}_]+`) // "When2Heat" is one word
)

// EnglishWords returns the English words (from a small list of common
// words that are not French) found in the visible text of an annex,
// leaving out what is kept in its own language on purpose: the sources'
// own titles (<cite>) and attributions and untranslated program messages
// (elements of class "orig") and identifiers and file names (class "id"). A French
// annex must give none; each word is returned once, with the text around
// its first occurrence.
func EnglishWords(doc string) []string {
	doc = styleRe.ReplaceAllString(doc, " ")
	doc = origRe.ReplaceAllString(doc, " ")
	text := html.UnescapeString(tagRe.ReplaceAllString(doc, " "))
	var out []string
	seen := map[string]bool{}
	for _, m := range wordRe.FindAllStringIndex(text, -1) {
		w := text[m[0]:m[1]]
		if !slices.Contains(englishWords, w) && !slices.Contains(englishWords, strings.ToLower(w)) {
			continue
		}
		if seen[w] {
			continue
		}
		seen[w] = true
		a, b := max(0, m[0]-40), min(len(text), m[1]+40)
		out = append(out, w+": …"+strings.Join(strings.Fields(text[a:b]), " ")+"…")
	}
	return out
}

var (
	legendRe = regexp.MustCompile(`(?s)<div class="legend">.*?</div>`)
	rangeRe  = regexp.MustCompile(`\d – \d`)
	energyRe = regexp.MustCompile(`[GM]Wh/an`)
)

// CheckFrench checks a French annex (its HTML, entities unescaped) as an
// ALEC would before attaching it to a PLU or PCAET, and returns the
// problems found: English words outside the sources' own titles
// (EnglishWords), a synthesis without MWc and GWh/an (or MWh/an), fewer
// than four map legends giving class ranges ("a – b").
func CheckFrench(doc string) []string {
	var out []string
	for _, w := range EnglishWords(doc) {
		out = append(out, "English word "+w)
	}
	i, j := strings.Index(doc, "1. Synthèse"), strings.Index(doc, "2. Cartes")
	switch {
	case i < 0 || j < i:
		out = append(out, "no synthesis followed by the maps")
	case !strings.Contains(doc[i:j], "MWc") || !energyRe.MatchString(doc[i:j]):
		out = append(out, "synthesis without MWc and GWh/an (or MWh/an)")
	}
	n := 0
	for _, leg := range legendRe.FindAllString(doc, -1) {
		if rangeRe.MatchString(leg) {
			n++
		}
	}
	if n < 4 {
		out = append(out, "fewer than four map legends with class ranges")
	}
	return out
}
