package pv

// The per-plane evaluation of the fast path as it was before the issue-16
// speed-up (commit 47debb7, FastPath.Plane and its helpers), kept verbatim
// under ref* names as the reference TestFastPathPlaneMatchesReference
// compares the optimised path with. Only the names differ.

import (
	"math"

	"github.com/gisement/gisement/solar"
)

// refFP is a FastPath with its loss tables in the former layout
// ([node][occupied column][edge], loss and lossX apart), rebuilt from
// lossLX by newRefFP (a copy of the values, no arithmetic).
type refFP struct {
	*FastPath
	loss, lossX []float32
}

func newRefFP(f *FastPath) *refFP {
	r := &refFP{FastPath: f}
	if !f.exact {
		return r
	}
	nc, ne := len(f.cols), f.nLossEdges
	nn := f.nLT * f.nLA
	r.loss = make([]float32, nn*nc*ne)
	r.lossX = make([]float32, nn*nc*ne)
	for nd := range nn {
		src := f.lossLX[nd*2*nc*ne:]
		for k := range nc {
			for e := range ne {
				p := e*f.lossEdgeStride + k*f.lossColStride
				r.loss[(nd*nc+k)*ne+e] = src[p]
				r.lossX[(nd*nc+k)*ne+e] = src[p+1]
			}
		}
	}
	return r
}

func (f *refFP) refPlane(tiltDeg, azDeg float64, hz *solar.Horizon) PlaneYield {
	g := f.node(tiltDeg, azDeg, true)
	out := PlaneYield{POAKWhM2: g.poa, POAUnshadedKWhM2: g.poa, SpecificYieldKWhKWp: g.yield, UnshadedYieldKWhKWp: g.yield,
		MonthlyKWhKWp: g.monthYield}
	if hz == nil || len(hz.ElevationDeg) == 0 || g.eff <= 0 {
		return out
	}
	l := f.refLinearLoss(tiltDeg, azDeg, hz)
	lostPOA, lostEff, lostM := l.poa, l.eff, l.month
	out.POAKWhM2 = math.Max(0, g.poa-lostPOA)
	var frac float64
	if f.exact {
		// Exact per-orientation tables for beam + circumsolar, linear
		// (plane PR) for the small isotropic sky-view part.
		// Skyline sampled at ±¼ column width around the column centre
		// (the two halves of the column; the skyline's slope across a 2°
		// column matters next to tall neighbours).
		var x1 [2 * maxCols]float64
		xs := x1[:2*len(f.cols)]
		w := f.o.SunAzimuthBinDeg
		for k, col := range f.cols {
			c := (float64(col) + 0.5) * w
			xs[2*k] = refSkylineAt(hz.ElevationDeg, c-w/4) / f.o.SunElevationBinDeg
			xs[2*k+1] = refSkylineAt(hz.ElevationDeg, c+w/4) / f.o.SunElevationBinDeg
		}
		beamE, interplay := f.refExactBeamLoss(tiltDeg, azDeg, xs)
		lostE := beamE + f.refExactIsoLoss(tiltDeg, azDeg, l.isoDelta) + l.isoDelta*interplay
		frac = math.Min(1, lostE/g.yield)
		scale := 0.0
		if lostEff > 0 {
			scale = frac * g.eff / lostEff
		}
		for m := range 12 {
			lostM[m] *= scale
		}
	} else {
		// Calibrated linear loss (see FastPathOptions.CalibrationHorizonDeg).
		k := g.kLoss
		frac = math.Min(1, k*lostEff/g.eff)
		for m := range 12 {
			lostM[m] *= k
		}
	}
	out.SpecificYieldKWhKWp = g.yield * (1 - frac)
	sum := 0.0
	for m := range 12 {
		v := g.monthYield[m]
		if g.monthEff[m] > 0 {
			v *= 1 - math.Min(1, lostM[m]/g.monthEff[m])
		}
		out.MonthlyKWhKWp[m] = v
		sum += v
	}
	if sum > 0 {
		k := out.SpecificYieldKWhKWp / sum
		for m := range 12 {
			out.MonthlyKWhKWp[m] *= k
		}
	}
	return out
}

func (f *refFP) refLinearLoss(tiltDeg, azDeg float64, hz *solar.Horizon) linLoss {
	beta := math.Max(0, math.Min(90, tiltDeg)) * math.Pi / 180
	sb, cb := math.Sincos(beta)
	sg, cg := math.Sincos(azDeg * math.Pi / 180)
	nx, ny, nz := sb*sg, sb*cg, cb
	iamSky := 1.0
	if f.sys.Model == solar.ModelPVGIS {
		ar := f.sys.MartinRuizAr
		if !(ar > 0) {
			ar = solar.MartinRuizAr
		}
		iamSky, _ = solar.MartinRuizDiffuse(tiltDeg, ar)
	}

	ne := f.nEl + 1
	dEl := f.o.SunElevationBinDeg
	var lostPOA, lostEff, lostDif, isoEff, isoDelta float64
	var lostM [12]float64
	var v0, v1 [nChan]float64
	for _, col := range f.cols {
		h := refSkylineAt(hz.ElevationDeg, (float64(col)+0.5)*f.o.SunAzimuthBinDeg)
		if h <= 0 {
			continue
		}
		x1 := math.Min(h/dEl, float64(f.nEl))
		b := nx*f.colSin[col] + ny*f.colCos[col]
		x0 := 0.0
		if b < 0 {
			if nz <= 1e-9 {
				continue // vertical plane, sun behind it
			}
			x0 = math.Atan(-b/nz) * 180 / math.Pi / dEl
			if x0 >= x1 {
				continue
			}
		}
		base := f.cum[col*ne*nChan:]
		f.refCumAt(base, x1, &v1)
		if x0 > 0 {
			f.refCumAt(base, x0, &v0)
		} else {
			v0 = [nChan]float64{}
		}
		lb := nx*(v1[chBx]-v0[chBx]) + ny*(v1[chBy]-v0[chBy]) + nz*(v1[chBz]-v0[chBz])
		lc := nx*(v1[chCx]-v0[chCx]) + ny*(v1[chCy]-v0[chCy]) + nz*(v1[chCz]-v0[chCz])
		lb, lc = math.Max(lb, 0), math.Max(lc, 0)
		if lb+lc == 0 {
			continue
		}
		iamB := 1.0
		if w := v1[chBw] - v0[chBw]; w > 0 {
			iamB = f.iam(lb / w)
		}
		eff := lb*iamB + lc*iamSky
		lostPOA += lb + lc
		lostEff += eff
		lostDif += v1[chD] - v0[chD]
		tot := 0.0
		for m := range 12 {
			tot += v1[chMonth+m] - v0[chMonth+m]
		}
		if tot > 0 {
			k := eff / tot
			for m := range 12 {
				lostM[m] += k * (v1[chMonth+m] - v0[chMonth+m])
			}
		}
	}
	// Isotropic diffuse hidden by the horizon.
	if f.iso > 0 {
		svf := refSkyView(hz, sb, cb, sg, cg, f.o.SkyViewSubSamples)
		k := (1 + cb) / 2 * (1 - svf)
		lostPOA += f.iso * k
		lostEff += f.iso * k * iamSky
		isoEff = f.iso * k * iamSky
		isoDelta = 1 - svf
		for m := range 12 {
			lostM[m] += f.isoMonth[m] * k * iamSky
		}
	}
	return linLoss{poa: lostPOA, eff: lostEff, dif: lostDif, isoEff: isoEff, isoDelta: isoDelta, month: lostM}
}

// cumAt interpolates the cumulative channels of one column at elevation
// edge position x (in bins).
func (f *refFP) refCumAt(base []float64, x float64, out *[nChan]float64) {
	j := int(x)
	if j >= f.nEl {
		copy(out[:], base[f.nEl*nChan:(f.nEl+1)*nChan])
		return
	}
	fr := x - float64(j)
	a := base[j*nChan : (j+1)*nChan]
	b := base[(j+1)*nChan : (j+2)*nChan]
	for ch := range nChan {
		out[ch] = a[ch] + fr*(b[ch]-a[ch])
	}
}

func refSkyView(hz *solar.Horizon, sb, cb, sg, cg float64, sub int) float64 {
	n := len(hz.ElevationDeg)
	m := n * sub
	dphi := 2 * math.Pi / float64(m)
	step := 360 / float64(m)
	blocked := 0.0
	for k := 0; k < m; k++ {
		phi := (float64(k) + 0.5) * step
		h := refSkylineAt(hz.ElevationDeg, phi) * math.Pi / 180
		if h <= 0 {
			continue
		}
		sp, cp := math.Sincos(phi * math.Pi / 180)
		cd := sp*sg + cp*cg // cos(φ − γ)
		bb := sb * cd
		sh, ch := math.Sincos(h)
		fh := cb*sh*sh/2 + bb*(h/2+sh*ch/2)
		f0 := 0.0
		if bb < 0 {
			if cb <= 1e-9 {
				continue
			}
			t := -bb / cb
			e0 := math.Atan(t)
			if e0 >= h {
				continue
			}
			s2 := t * t / (1 + t*t)
			f0 = cb*s2/2 + bb*(e0/2+t/(1+t*t)/2)
		}
		blocked += (fh - f0) * dphi
	}
	full := math.Pi * (1 + cb) / 2
	if full <= 0 {
		return 1
	}
	return math.Max(0, math.Min(1, 1-blocked/full))
}

func (f *refFP) refExactBeamLoss(tiltDeg, azDeg float64, x1 []float64) (lossKWhKWp, interplayKWhKWp float64) {
	t := math.Max(0, math.Min(90, tiltDeg)) / f.o.LossTiltStepDeg
	it := min(int(t), f.nLT-2)
	ft := t - float64(it)
	a := math.Mod(azDeg, 360)
	if a < 0 {
		a += 360
	}
	a /= f.o.LossAzimuthStepDeg
	ia := int(a)
	fa := a - float64(ia)
	ia %= f.nLA
	ib := (ia + 1) % f.nLA
	per := len(f.cols) * f.nLossEdges
	ne := f.nLossEdges
	var s, sx [4]float64
	nodes := [4]int{it*f.nLA + ia, it*f.nLA + ib, (it+1)*f.nLA + ia, (it+1)*f.nLA + ib}
	for q, nd := range nodes {
		tab := f.loss[nd*per : (nd+1)*per]
		tabX := f.lossX[nd*per : (nd+1)*per]
		sum, sumX := 0.0, 0.0
		for i, x := range x1 {
			if x <= 0 {
				continue
			}
			k := i >> 1
			col := tab[k*ne : (k+1)*ne]
			colX := tabX[k*ne : (k+1)*ne]
			if x >= float64(ne-1) {
				sum += float64(col[ne-1])
				sumX += float64(colX[ne-1])
				continue
			}
			j := int(x)
			fr := float32(x - float64(j))
			sum += float64(col[j] + fr*(col[j+1]-col[j]))
			sumX += float64(colX[j] + fr*(colX[j+1]-colX[j]))
		}
		s[q], sx[q] = sum/2, sumX/2
	}
	w00, w01, w10, w11 := (1-ft)*(1-fa), (1-ft)*fa, ft*(1-fa), ft*fa
	return w00*s[0] + w01*s[1] + w10*s[2] + w11*s[3], w00*sx[0] + w01*sx[1] + w10*sx[2] + w11*sx[3]
}

func (f *refFP) refExactIsoLoss(tiltDeg, azDeg, delta float64) float64 {
	if delta <= 0 {
		return 0
	}
	t := math.Max(0, math.Min(90, tiltDeg)) / f.o.LossTiltStepDeg
	it := min(int(t), f.nLT-2)
	ft := t - float64(it)
	a := math.Mod(azDeg, 360)
	if a < 0 {
		a += 360
	}
	a /= f.o.LossAzimuthStepDeg
	ia := int(a)
	fa := a - float64(ia)
	ia %= f.nLA
	ib := (ia + 1) % f.nLA
	nd := len(isoDeltas)
	k := 0
	for k < nd-1 && isoDeltas[k] < delta {
		k++
	}
	lo, dlo := 0.0, 0.0
	if k > 0 {
		dlo = isoDeltas[k-1]
	}
	fr := math.Min(1, (delta-dlo)/(isoDeltas[k]-dlo))
	at := func(node int) float64 {
		v := f.isoLoss[node*nd:]
		if k > 0 {
			lo = v[k-1]
		} else {
			lo = 0
		}
		return lo + fr*(v[k]-lo)
	}
	return (1-ft)*((1-fa)*at(it*f.nLA+ia)+fa*at(it*f.nLA+ib)) + ft*((1-fa)*at((it+1)*f.nLA+ia)+fa*at((it+1)*f.nLA+ib))
}

func refSkylineAt(e []float64, azDeg float64) float64 {
	n := len(e)
	if azDeg < 0 {
		azDeg += 360
	} else if azDeg >= 360 {
		azDeg -= 360
	}
	x := azDeg * float64(n) / 360
	i := int(x)
	if i >= n {
		i = n - 1
	}
	j := i + 1
	if j == n {
		j = 0
	}
	return e[i] + (x-float64(i))*(e[j]-e[i])
}
