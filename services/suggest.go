package services

import "strings"

// suggest returns the candidate closest to word, or "" when none is close
// enough to be what the user meant. Case and '-' versus '_' do not count as
// differences; beyond that, about one typo (a wrong, missing, extra or
// swapped letter) in three letters is tolerated, at most three.
func suggest(word string, candidates []string) string {
	w := normalizeForSuggest(word)
	allowed := min(max(1, len(w)/3), 3)
	best, bestDist := "", allowed+1
	for _, c := range candidates {
		d := editDistance(w, normalizeForSuggest(c), allowed)
		if d < bestDist || d == bestDist && best != "" && c < best {
			best, bestDist = c, d
		}
	}
	if best == word {
		return ""
	}
	return best
}

// didYouMean formats suggest's answer for the end of a message.
func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return ` (did you mean "` + s + `"?)`
	}
	return ""
}

func normalizeForSuggest(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "-", "_")
}

// editDistance is the optimal-string-alignment distance between a and b
// (Levenshtein plus swaps of neighbours), or limit+1 as soon as it is known
// to exceed limit, so that long unrelated words cost little.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
