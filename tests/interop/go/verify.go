// Command verify checks AkashicPay-style callback signatures the way the Go SDK's
// VerifySignature does: it never hashes the received bytes, it re-serialises them —
// json.Valid, json.Unmarshal into an interface value (numbers become float64), json.Marshal
// (map keys sorted; & < > and U+2028/U+2029 escaped) — then compares the hex HMAC-SHA256 of that,
// keyed with the API secret string, with the Signature header using ==.
//
// Input: one JSON object per line on stdin, {"secret","body","signature"}.
// Output: one JSON object per line, {"match": bool, "reserialized": string, "error": string}.
// Standard library only, so `go run verify.go` works offline and without a module.
package main

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

type testCase struct {
	Secret    string `json:"secret"`
	Body      string `json:"body"`
	Signature string `json:"signature"`
}

type result struct {
	Match        bool   `json:"match"`
	Reserialized string `json:"reserialized"`
	Error        string `json:"error,omitempty"`
}

// verifySignature follows the SDK: re-serialise, HMAC, compare.
func verifySignature(secret string, body string, signature string) result {
	raw := []byte(body)
	if !json.Valid(raw) {
		return result{Error: "body is not valid JSON"}
	}
	var parsed interface{}
	if err := json.Unmarshal(raw, &parsed); err != nil {
		return result{Error: err.Error()}
	}
	message, err := json.Marshal(parsed)
	if err != nil {
		return result{Error: err.Error()}
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(message)
	expected := hex.EncodeToString(mac.Sum(nil))
	return result{Match: expected == signature, Reserialized: string(message)}
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 0, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for scanner.Scan() {
		line := scanner.Bytes()
		if len(line) == 0 {
			continue
		}
		var c testCase
		var r result
		if err := json.Unmarshal(line, &c); err != nil {
			r = result{Error: "bad input line: " + err.Error()}
		} else {
			r = verifySignature(c.Secret, c.Body, c.Signature)
		}
		if err := encoder.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
