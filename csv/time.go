package csv

import (
	"time"
)

// parseTimestamp parses an RFC 3339 timestamp with a time zone offset
// ("2024-03-01T22:15:00+10:00", "2024-03-01T12:15:00.5Z"). The common
// layout is parsed from bytes without allocating; anything else goes to
// time.Parse, so that both accept the same set. The offset is kept as
// written; zones caches one location per offset.
func parseTimestamp(b []byte, zones map[int]*time.Location) (time.Time, bool) {
	if t, ok := fastTimestamp(b, zones); ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339, string(b))
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

func d2(b []byte) (int, bool) {
	c0, c1 := b[0]-'0', b[1]-'0'
	return int(c0)*10 + int(c1), c0 <= 9 && c1 <= 9
}

func fastTimestamp(b []byte, zones map[int]*time.Location) (time.Time, bool) {
	if len(b) < 20 {
		return time.Time{}, false
	}
	_ = b[19]
	if b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	yh, ok1 := d2(b[0:2])
	yl, ok2 := d2(b[2:4])
	mo, ok3 := d2(b[5:7])
	d, ok4 := d2(b[8:10])
	h, ok5 := d2(b[11:13])
	mi, ok6 := d2(b[14:16])
	s, ok7 := d2(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) {
		return time.Time{}, false
	}
	y := yh*100 + yl
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59 {
		return time.Time{}, false
	}
	i := 19
	ns := 0
	if b[i] == '.' {
		i++
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if n == 9 {
				return time.Time{}, false
			}
			ns = ns*10 + int(b[i]-'0')
			n++
			i++
		}
		if n == 0 {
			return time.Time{}, false
		}
		for ; n < 9; n++ {
			ns *= 10
		}
	}
	var loc *time.Location
	off := 0
	switch {
	case i == len(b)-1 && b[i] == 'Z':
		loc = time.UTC
	case i == len(b)-6 && (b[i] == '+' || b[i] == '-') && b[i+3] == ':':
		oh, ok1 := d2(b[i+1 : i+3])
		om, ok2 := d2(b[i+4 : i+6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off = (oh*60 + om) * 60
		if b[i] == '-' {
			off = -off
		}
		loc = zones[off]
		if loc == nil {
			loc = time.FixedZone("", off)
			zones[off] = loc
		}
	default:
		return time.Time{}, false
	}
	days := daysFromCivil(y, mo, d)
	sec := days*86400 + int64(h*3600+mi*60+s) - int64(off)
	return time.Unix(sec, int64(ns)).In(loc), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
