package server

import (
	"bytes"
	"strings"
)

// DiffLine is one line of the difference between the office file and the
// running configuration, both written as office files: Op is "-" for a
// line only the file has, "+" for one only the running configuration
// has; Where names the part of the file it is in ("services B",
// "desks 3", "hours").
type DiffLine struct {
	Op    string `json:"op"`
	Where string `json:"where"`
	Line  string `json:"line"`
}

// diffLines compares two office files line by line (longest common
// subsequence; the files are a few hundred lines) and returns what
// differs, comments left out, in file order.
func diffLines(file, running []byte) []DiffLine {
	a, b := settingLines(file), settingLines(running)
	// lcs[i][j] is the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, DiffLine{Op: "+", Where: b[j].where, Line: b[j].line})
			j++
		default:
			out = append(out, DiffLine{Op: "-", Where: a[i].where, Line: a[i].line})
			i++
		}
	}
	return out
}

type setting struct{ where, line string }

// settingLines are a file's lines without comments and blank lines, each
// with the part of the file it is in.
func settingLines(data []byte) []setting {
	var out []setting
	top, item := "", ""
	for _, raw := range bytes.Split(data, []byte("\n")) {
		l := strings.TrimRight(string(raw), " ")
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		if l[0] != ' ' {
			top, item = strings.SplitN(t, ":", 2)[0], ""
		} else if k, v, ok := strings.Cut(strings.TrimPrefix(t, "- "), ": "); ok && strings.HasPrefix(t, "- ") && (k == "letter" || k == "number") {
			item = v
		}
		where := top
		if item != "" {
			where += " " + item
		}
		out = append(out, setting{where: where, line: t})
	}
	return out
}
