package http

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"

	"github.com/vigilfiu/vigil"
)

// The scoring API's body is one flat JSON object of string values. It is
// read with a small scanner for the common case — known keys spelled
// exactly, strings without escapes or bytes outside printable ASCII — and
// anything else (escapes, other value types, unknown or differently cased
// keys, syntax errors) goes through encoding/json, which then gives the
// same result and the same error messages as every other API call.

var bodyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// decodeTransfer reads the request body into t.
func decodeTransfer(r *http.Request, t *vigil.Transfer) error {
	bp := bodyBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 64<<10 {
			bodyBufs.Put(bp)
		}
	}()
	buf := bytes.NewBuffer((*bp)[:0])
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return vigil.Errorf(vigil.EINVALID, "body: %v", err)
	}
	*bp = buf.Bytes()
	if scanTransfer(*bp, t) {
		return nil
	}
	*t = vigil.Transfer{}
	return decodeFrom(bytes.NewReader(*bp), t)
}

// scanTransfer is the fast path: it reports false, leaving t in any
// state, whenever the body is not of the simple form it handles.
func scanTransfer(b []byte, t *vigil.Transfer) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		key, j, ok := simpleString(b, i)
		if !ok {
			return false
		}
		j = skipSpace(b, j)
		if j >= len(b) || b[j] != ':' {
			return false
		}
		val, k, ok := simpleString(b, skipSpace(b, j+1))
		if !ok || !setTransferField(t, key, val) {
			return false
		}
		k = skipSpace(b, k)
		if k >= len(b) {
			return false
		}
		switch b[k] {
		case ',':
			i = skipSpace(b, k+1)
		case '}':
			return skipSpace(b, k+1) == len(b)
		default:
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// simpleString reads a JSON string at b[i] made only of printable ASCII
// without backslashes; it returns the bytes between the quotes.
func simpleString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		switch {
		case c == '"':
			return b[i+1 : j], j + 1, true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return nil, j, false
		}
	}
	return nil, len(b), false
}

// setTransferField sets the field named key (exact spelling) from val,
// as encoding/json would; false for an unknown key or a value its type
// refuses (encoding/json then reports the error).
func setTransferField(t *vigil.Transfer, key, val []byte) bool {
	switch string(key) {
	case "transfer_id":
		t.ID = string(val)
	case "timestamp":
		return t.Timestamp.UnmarshalText(val) == nil
	case "sender_id":
		t.SenderID = string(val)
	case "sender_account":
		t.SenderAccount = string(val)
	case "beneficiary_id":
		t.BeneficiaryID = string(val)
	case "beneficiary_name":
		t.BeneficiaryName = string(val)
	case "beneficiary_phone":
		t.BeneficiaryPhone = string(val)
	case "beneficiary_account":
		t.BeneficiaryAccount = string(val)
	case "beneficiary_city":
		t.BeneficiaryCity = string(val)
	case "beneficiary_country":
		t.BeneficiaryCountry = string(val)
	case "beneficiary_birth_date":
		return t.BeneficiaryBirthDate.UnmarshalText(val) == nil
	case "amount":
		return t.Amount.UnmarshalText(val) == nil
	case "currency":
		t.Currency = string(val)
	case "channel":
		t.Channel = vigil.Channel(val)
	case "provider":
		t.Provider = string(val)
	case "purpose":
		t.Purpose = string(val)
	case "source":
		t.Source = string(val)
	default:
		return false
	}
	return true
}

// decodeFrom is decode on any reader.
func decodeFrom(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return decodeWith(dec, v)
}
