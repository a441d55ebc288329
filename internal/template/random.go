package template

import (
	"encoding/base64"
	"fmt"
	"io"
	"math/big"

	"github.com/google/uuid"
	"github.com/pkg/errors"
)

const (
	alpha    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	numeric  = "0123456789"
	ascii    = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	maxRandN = 4096
)

// randFuncs returns sprig's random functions drawing from one source, so a caller can make
// renders repeatable (golden tests) while production draws from crypto/rand.
func randFuncs(r io.Reader) map[string]any {
	pick := func(charset string) func(int) (string, error) {
		return func(n int) (string, error) { return randString(r, charset, n) }
	}
	return map[string]any{
		"randAlphaNum": pick(alpha + numeric),
		"randAlpha":    pick(alpha),
		"randNumeric":  pick(numeric),
		"randAscii":    pick(ascii),
		"randBytes": func(n int) (string, error) {
			if n < 0 || n > maxRandN {
				return "", fmt.Errorf("randBytes: %d is outside 0..%d", n, maxRandN)
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(r, b); err != nil {
				return "", errors.Wrap(err, "randBytes")
			}
			return base64.StdEncoding.EncodeToString(b), nil
		},
		"randInt": func(lo, hi int) (int, error) {
			if hi <= lo {
				return 0, fmt.Errorf("randInt: max %d must be greater than min %d", hi, lo)
			}
			i, err := randIndex(r, hi-lo)
			return lo + i, err
		},
		"uuidv4": func() (string, error) {
			u, err := uuid.NewRandomFromReader(r)
			if err != nil {
				return "", errors.Wrap(err, "uuidv4")
			}
			return u.String(), nil
		},
	}
}

func randString(r io.Reader, charset string, n int) (string, error) {
	if n < 0 || n > maxRandN {
		return "", fmt.Errorf("random string length %d is outside 0..%d", n, maxRandN)
	}
	out := make([]byte, n)
	for i := range out {
		j, err := randIndex(r, len(charset))
		if err != nil {
			return "", err
		}
		out[i] = charset[j]
	}
	return string(out), nil
}

func randIndex(r io.Reader, n int) (int, error) {
	// Rejection sampling through big.Int keeps the draw uniform for any n.
	max := big.NewInt(int64(n))
	bits := max.BitLen()
	buf := make([]byte, (bits+7)/8)
	for {
		if _, err := io.ReadFull(r, buf); err != nil {
			return 0, errors.Wrap(err, "random source")
		}
		if extra := uint(len(buf)*8 - bits); extra > 0 {
			buf[0] &= byte(0xff >> extra)
		}
		v := new(big.Int).SetBytes(buf)
		if v.Cmp(max) < 0 {
			return int(v.Int64()), nil
		}
	}
}
