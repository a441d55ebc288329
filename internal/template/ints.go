package template

import (
	"fmt"
	"strconv"
	"strings"
)

// until, untilStep and seq are sprig's, rewritten so the element count is computed before
// anything is built and no bound overflows: sprig's loops run forever (and allocate until
// the process dies) when start+step wraps around.

func until(n int) ([]int, error) {
	if n < 0 {
		return untilStep(0, n, -1)
	}
	return untilStep(0, n, 1)
}

// untilStep lists start, start+step, ... short of stop.
func untilStep(start, stop, step int) ([]int, error) {
	n, err := count(start, stop, step, false)
	if err != nil {
		return nil, err
	}
	out := make([]int, n)
	for i := range out {
		out[i] = start + i*step
	}
	return out, nil
}

// count is how many of start, start+step, ... lie short of stop (or up to it when inclusive):
// none when step does not lead from start toward stop.
func count(start, stop, step int, inclusive bool) (int, error) {
	var dist, size uint64
	switch {
	case inclusive && start == stop && step != 0:
		return 1, nil
	case step > 0 && stop > start:
		dist, size = uint64(stop)-uint64(start), uint64(step)
	case step < 0 && stop < start:
		dist, size = uint64(start)-uint64(stop), uint64(-(step+1))+1
	default:
		return 0, nil
	}
	n := dist / size
	if dist%size != 0 || inclusive {
		n++
	}
	if n > maxListLength {
		return 0, fmt.Errorf("%d elements is over the limit of %d", n, maxListLength)
	}
	return int(n), nil
}

// seq is sprig's seq: seq END (from 1), seq START END, seq START STEP END, all inclusive,
// counting down when END is below START.
func seq(p ...int) (string, error) {
	var start, step, end int
	switch len(p) {
	case 1:
		start, step, end = 1, 1, p[0]
		if end < start {
			step = -1
		}
	case 2:
		start, step, end = p[0], 1, p[1]
		if end < start {
			step = -1
		}
	case 3:
		start, step, end = p[0], p[1], p[2]
		if end < start && step > 0 || end >= start && step <= 0 {
			return "", nil
		}
	default:
		return "", nil
	}
	n, err := count(start, end, step, true)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(strconv.Itoa(start + i*step))
	}
	return sb.String(), nil
}
