<?php
// Checks AkashicPay-style callback signatures the way the PHP SDK's verifySignature does: the
// received body is not hashed as received but decoded with json_decode($raw, true) (objects become
// associative arrays, so {} and [] become the same empty array), keys sorted recursively with
// ksort(SORT_STRING), encoded again with json_encode(..., JSON_UNESCAPED_SLASHES) (every non-ASCII
// character written as \uXXXX), and the hex hash_hmac('sha256', ...) keyed with the API secret
// string compared with the Signature header.
//
// Input: one JSON object per line on stdin, {"secret","body","signature"}.
// Output: one JSON object per line, {"match": bool, "reserialized": string|null, "error": string|null}.

declare(strict_types=1);

function sortKeysRecursively(array $value): array
{
    ksort($value, SORT_STRING);
    foreach ($value as $key => $member) {
        if (is_array($member)) {
            $value[$key] = sortKeysRecursively($member);
        }
    }
    return $value;
}

function verifySignature(string $secret, string $body, string $signature): array
{
    $decoded = json_decode($body, true);
    if (!is_array($decoded)) {
        return ['match' => false, 'reserialized' => null, 'error' => 'body is not a JSON object: ' . json_last_error_msg()];
    }
    $message = json_encode(sortKeysRecursively($decoded), JSON_UNESCAPED_SLASHES);
    if ($message === false) {
        return ['match' => false, 'reserialized' => null, 'error' => json_last_error_msg()];
    }
    $expected = hash_hmac('sha256', $message, $secret);
    return ['match' => $expected === $signature, 'reserialized' => $message, 'error' => null];
}

while (($line = fgets(STDIN)) !== false) {
    $line = rtrim($line, "\r\n");
    if ($line === '') {
        continue;
    }
    $case = json_decode($line, true);
    if (!is_array($case) || !is_string($case['secret'] ?? null) || !is_string($case['body'] ?? null) || !is_string($case['signature'] ?? null)) {
        $result = ['match' => false, 'reserialized' => null, 'error' => 'bad input line: ' . json_last_error_msg()];
    } else {
        $result = verifySignature($case['secret'], $case['body'], $case['signature']);
    }
    // Our own output: escape everything so the line stays one line whatever the body held.
    echo json_encode($result, JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
