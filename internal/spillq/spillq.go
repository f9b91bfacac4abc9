// Package spillq keeps lists of float64 values by key with bounded memory
// and computes their exact quantiles.
//
// The study's commune and summary statistics report quantiles (specific
// yield Q10/Q50/Q90 in kWh/kWp, shading-loss medians in %, air-source heat
// pump SCOP medians, dimensionless) over every building or roof plane of a
// territory: at 1 M buildings, some 10 M values. A Sets holds the values in
// memory up to a budget (Budget values over all keys) and appends them to
// one temporary file per key beyond it. A quantile is then found without
// sorting the file in memory, by radix selection over the values' ordered
// bit patterns (Knuth, The Art of Computer Programming vol. 3, §5.2.5,
// most-significant-digit radix; the order-preserving float key as in
// Herf, "Radix tricks", 2001): one pass over the file counts the values per
// top 16 bits, the bucket holding the wanted rank is narrowed by the next
// 16 bits in another pass, until it holds at most Budget values, which are
// read and sorted. Memory: Budget values (8 bytes each) plus a 65,536-entry
// histogram (512 KiB); passes: at most 4 per rank (usually 2).
//
// Exactness: the quantile is the one of uncertainty.Quantile (gonum's
// stat.Quantile with stat.LinInterp, unweighted), reproduced operation for
// operation in Quantile so that the value is bit-identical whether the
// values were held in memory or spilled (TestQuantileMatchesGonum pins it
// to gonum on random and fuzzed inputs). A set holding a NaN has NaN
// quantiles, as gonum returns.
//
// Hand-written: no well-kept Go library selects exact quantiles out of core
// (the streaming sketches, e.g. t-digest or KLL, are approximations, and
// the study's results must not change with the streaming).
package spillq

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
)

// DefaultBudget is the default number of values held in memory (8 MiB):
// large enough that a study of a few tens of thousands of buildings never
// touches the disk, small beside a chunk's working memory.
const DefaultBudget = 1 << 20

// Sets holds lists of values by key. It is not safe for concurrent use.
type Sets struct {
	dir    string // parent of the spill directory ("" = os.TempDir())
	spill  string // spill directory, created on the first spill
	budget int
	held   int // values in memory over all sets
	sets   map[string]*set
	files  int
	hist   []int // reused histogram of the selection passes
}

type set struct {
	mem  []float64
	path string // spill file ("" = none yet)
	disk int    // values in the file
	nan  bool
}

// New returns an empty Sets spilling under dir ("" = os.TempDir()) beyond
// budget values in memory (≤ 0: DefaultBudget).
func New(dir string, budget int) *Sets {
	if budget <= 0 {
		budget = DefaultBudget
	}
	return &Sets{dir: dir, budget: budget, sets: map[string]*set{}}
}

// Add appends vs to the list of key, spilling every list to its file when
// the values held in memory exceed the budget.
func (s *Sets) Add(key string, vs ...float64) error {
	if len(vs) == 0 {
		return nil
	}
	st, ok := s.sets[key]
	if !ok {
		st = &set{}
		s.sets[key] = st
	}
	for _, v := range vs {
		if math.IsNaN(v) {
			st.nan = true
		}
	}
	st.mem = append(st.mem, vs...)
	s.held += len(vs)
	if s.held > s.budget {
		return s.flushAll()
	}
	return nil
}

// Len returns the number of values of key.
func (s *Sets) Len(key string) int {
	if st, ok := s.sets[key]; ok {
		return len(st.mem) + st.disk
	}
	return 0
}

// Spilled returns the number of values written to files so far (all keys).
func (s *Sets) Spilled() int {
	n := 0
	for _, st := range s.sets {
		n += st.disk
	}
	return n
}

// flushAll appends every list held in memory to its file. Files are
// opened for each append and closed after, so that a territory of many
// communes (four lists each) never holds more than one open file.
func (s *Sets) flushAll() error {
	for _, st := range s.sets {
		if err := s.flush(st); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sets) flush(st *set) error {
	if len(st.mem) == 0 {
		return nil
	}
	if s.spill == "" {
		d, err := os.MkdirTemp(s.dir, "gisement-quantiles-")
		if err != nil {
			return fmt.Errorf("quantile spill: %w", err)
		}
		s.spill = d
	}
	if st.path == "" {
		s.files++
		st.path = filepath.Join(s.spill, fmt.Sprintf("%06d.f64", s.files))
	}
	f, err := os.OpenFile(st.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("quantile spill: %w", err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	var b [8]byte
	for _, v := range st.mem {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		w.Write(b[:]) // the error is kept by w and returned by Flush
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("quantile spill: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("quantile spill: %w", err)
	}
	st.disk += len(st.mem)
	s.held -= len(st.mem)
	st.mem = nil // release: a spilled list refills from empty
	return nil
}

// Close removes the spill files.
func (s *Sets) Close() error {
	s.sets = map[string]*set{}
	if s.spill == "" {
		return nil
	}
	err := os.RemoveAll(s.spill)
	s.spill = ""
	return err
}

// Quantiles returns the quantiles ps (each in [0, 1]) of key's values
// (NaN for an empty list or one holding a NaN), exactly as
// uncertainty.Quantile over the sorted list.
func (s *Sets) Quantiles(key string, ps ...float64) ([]float64, error) {
	for _, p := range ps {
		if !(p >= 0 && p <= 1) {
			return nil, fmt.Errorf("quantile %v out of [0, 1]", p)
		}
	}
	out := make([]float64, len(ps))
	st, ok := s.sets[key]
	n := s.Len(key)
	if !ok || n == 0 || st.nan {
		for i := range out {
			out[i] = math.NaN()
		}
		return out, nil
	}
	if st.disk == 0 {
		// In memory: sorted in place (the list is a multiset).
		slices.SortFunc(st.mem, func(a, b float64) int {
			ka, kb := Key(a), Key(b)
			if ka < kb {
				return -1
			}
			if ka > kb {
				return 1
			}
			return 0
		})
		for i, p := range ps {
			out[i] = Quantile(p, n, func(r int) float64 { return st.mem[r] })
		}
		return out, nil
	}
	if err := s.flush(st); err != nil {
		return nil, err
	}
	var ranks []int
	for _, p := range ps {
		lo, hi := QuantileRanks(p, n)
		ranks = append(ranks, lo, hi)
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	vals := make(map[int]float64, len(ranks))
	if err := s.selectRanks(st, 0, 0, n, ranks, 0, vals); err != nil {
		return nil, err
	}
	for i, p := range ps {
		out[i] = Quantile(p, n, func(r int) float64 { return vals[r] })
	}
	return out, nil
}

// Key maps v to an unsigned integer of the same order (negative values
// reversed below the positive ones): sorting by Key sorts the values as
// sort.Float64s does, except that −0 sorts before +0 (equal for <, so in
// an arbitrary order there) and NaNs, which the quantiles never sort.
func Key(v float64) uint64 {
	u := math.Float64bits(v)
	if u>>63 == 1 {
		return ^u
	}
	return u | 1<<63
}

// fromKey inverts Key.
func fromKey(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// QuantileRanks returns the 0-based ranks whose values Quantile reads for
// p over n > 0 values (lo = hi when it reads one).
func QuantileRanks(p float64, n int) (lo, hi int) {
	i := quantileIndex(p, n)
	if i == 0 {
		return 0, 0
	}
	return i - 1, i
}

// quantileIndex is the index at which gonum's linInterpQuantile stops: the
// first i with float64(i+1) ≥ p·n (its running count cumsum is exact up to
// 2⁵³).
func quantileIndex(p float64, n int) int {
	i := int(math.Ceil(p*float64(n))) - 1
	return max(0, min(i, n-1))
}

// Quantile is uncertainty.Quantile(p, x) (gonum stat.Quantile, LinInterp,
// no weights) over n sorted values given by at(rank), for p in [0, 1] and
// n > 0 values without NaN: the same operations in the same order, so the
// same bits. Source: gonum v0.17.0 stat/stat.go, linInterpQuantile.
func Quantile(p float64, n int, at func(rank int) float64) float64 {
	fidx := p * float64(n)
	i := quantileIndex(p, n)
	if i == 0 {
		return at(0)
	}
	t := float64(i+1) - fidx
	return t*at(i-1) + (1-t)*at(i)
}

// errShort reports a spill file shorter than its count.
var errShort = errors.New("quantile spill: file shorter than its count")

// scan calls fn with the key of every value of st's file.
func scan(st *set, fn func(k uint64)) error {
	f, err := os.Open(st.path)
	if err != nil {
		return fmt.Errorf("quantile spill: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 256<<10)
	var b [8]byte
	for i := 0; i < st.disk; i++ {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return errShort
			}
			return fmt.Errorf("quantile spill: %w", err)
		}
		fn(Key(math.Float64frombits(binary.LittleEndian.Uint64(b[:]))))
	}
	return nil
}

// selectRanks finds the values at ranks (sorted, relative to the values
// whose key starts with the known top bits of prefix; count of them) and
// stores them in vals at rank+base.
func (s *Sets) selectRanks(st *set, prefix uint64, known uint, count int, ranks []int, base int, vals map[int]float64) error {
	match := func(k uint64) bool { return known == 0 || k>>(64-known) == prefix }
	if known == 64 { // one key: equal values, bit for bit
		for _, r := range ranks {
			vals[base+r] = fromKey(prefix)
		}
		return nil
	}
	if count <= s.budget {
		cand := make([]uint64, 0, count)
		if err := scan(st, func(k uint64) {
			if match(k) {
				cand = append(cand, k)
			}
		}); err != nil {
			return err
		}
		if len(cand) != count {
			return fmt.Errorf("quantile spill: %d values in a bucket counted %d", len(cand), count)
		}
		slices.Sort(cand)
		for _, r := range ranks {
			vals[base+r] = fromKey(cand[r])
		}
		return nil
	}
	if s.hist == nil {
		s.hist = make([]int, 1<<16)
	}
	clear(s.hist)
	shift := 64 - known - 16
	if err := scan(st, func(k uint64) {
		if match(k) {
			s.hist[(k>>shift)&0xffff]++
		}
	}); err != nil {
		return err
	}
	hist := slices.Clone(s.hist) // s.hist is reused by the narrower passes
	cum := 0
	for b, h := range hist {
		var in []int
		for len(ranks) > 0 && ranks[0] < cum+h {
			in = append(in, ranks[0]-cum)
			ranks = ranks[1:]
		}
		if len(in) > 0 {
			if err := s.selectRanks(st, prefix<<16|uint64(b), known+16, h, in, base+cum, vals); err != nil {
				return err
			}
		}
		cum += h
		if len(ranks) == 0 {
			break
		}
	}
	if len(ranks) > 0 {
		return fmt.Errorf("quantile spill: rank %d beyond the %d values", base+ranks[0], cum)
	}
	return nil
}
