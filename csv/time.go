package csv

import (
	"encoding/binary"
	"time"
)

// stamps carries what parsing one timestamp leaves for the next: the
// locations made for each offset, the last date seen (files are mostly in
// time order, so consecutive rows share it) and the offsets seen lately.
type stamps struct {
	zones map[int]*time.Location

	haveDate bool
	date8    uint64 // bytes 0–7 of the last "YYYY-MM-DD"
	date2    uint16 // bytes 8–9
	days     int64  // its days since 1970-01-01

	// recent holds the offsets seen lately, found by a hash of their
	// bytes: half the rows of a vigil file change offset from the row
	// before (senders in several time zones), among a few offsets.
	recent [32]zoneSeen
}

// zoneSeen is one "+hh:mm" of stamps.recent: its bytes, its offset in
// seconds east of UTC and its location.
type zoneSeen struct {
	zone4 uint32 // bytes 0–3
	zone2 uint16 // bytes 4–5
	off   int
	loc   *time.Location // nil for an empty entry
}

// parseTimestamp parses an RFC 3339 timestamp with a time zone offset
// ("2024-03-01T22:15:00+10:00", "2024-03-01T12:15:00.5Z"). The common
// layout is parsed from bytes without allocating; anything else goes to
// time.Parse, so that both accept the same set. The offset is kept as
// written.
func parseTimestamp(b []byte, c *stamps) (time.Time, bool) {
	if t, ok := fastTimestamp(b, c); ok {
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

func fastTimestamp(b []byte, c *stamps) (time.Time, bool) {
	if len(b) < 20 {
		return time.Time{}, false
	}
	_ = b[19]
	if b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	var days int64
	d8, dd2 := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint16(b[8:])
	if c.haveDate && d8 == c.date8 && dd2 == c.date2 {
		days = c.days
	} else {
		yh, ok1 := d2(b[0:2])
		yl, ok2 := d2(b[2:4])
		mo, ok3 := d2(b[5:7])
		d, ok4 := d2(b[8:10])
		y := yh*100 + yl
		if !(ok1 && ok2 && ok3 && ok4) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
			return time.Time{}, false
		}
		days = daysFromCivil(y, mo, d)
		c.haveDate, c.date8, c.date2, c.days = true, d8, dd2, days
	}
	h, ok5 := d2(b[11:13])
	mi, ok6 := d2(b[14:16])
	s, ok7 := d2(b[17:19])
	if !(ok5 && ok6 && ok7) || h > 23 || mi > 59 || s > 59 {
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
	case i == len(b)-6:
		z4, z2 := binary.LittleEndian.Uint32(b[i:]), binary.LittleEndian.Uint16(b[i+4:])
		z := &c.recent[(z4*0x9E3779B1^uint32(z2)*0x85EBCA6B)>>27]
		if z.loc != nil && z4 == z.zone4 && z2 == z.zone2 {
			loc, off = z.loc, z.off
			break
		}
		if (b[i] != '+' && b[i] != '-') || b[i+3] != ':' {
			return time.Time{}, false
		}
		oh, ok1 := d2(b[i+1 : i+3])
		om, ok2 := d2(b[i+4 : i+6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off = (oh*60 + om) * 60
		if b[i] == '-' {
			off = -off
		}
		loc = c.zones[off]
		if loc == nil {
			if c.zones == nil {
				c.zones = map[int]*time.Location{}
			}
			loc = time.FixedZone("", off)
			c.zones[off] = loc
		}
		*z = zoneSeen{zone4: z4, zone2: z2, off: off, loc: loc}
	default:
		return time.Time{}, false
	}
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
