#!/usr/bin/env bash
# A licensing system's calls to `creditflow serve`, as plain curl commands (docs/service.md).
#
#   CREDITFLOW_URL=http://127.0.0.1:8000 OFFICER_TOKEN=... APPLICANT_TOKEN=... \
#     bash examples/http/licensing.sh
#
# The applicant 91110000600037341L applies for a road transport licence on commitment (告知承诺);
# the officer verifies it on site. Every write carries an Idempotency-Key derived from the
# licensing system's own ids, so a retry after a timeout writes nothing twice.
set -euo pipefail

URL="${CREDITFLOW_URL:-http://127.0.0.1:8000}"
APPLICANT="91110000600037341L"

call() {  # call TOKEN METHOD PATH [JSON] [extra curl args...]
  local token="$1" method="$2" path="$3" body="${4:-}"
  shift 4 || shift $#
  if [ -n "$body" ]; then
    curl --silent --show-error --fail-with-body -X "$method" "$URL$path" \
      -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
      --data "$body" "$@"
  else
    curl --silent --show-error --fail-with-body -X "$method" "$URL$path" \
      -H "Authorization: Bearer $token" "$@"
  fi
  echo
}

echo "== is the service ready?"
curl --silent --show-error --fail-with-body "$URL/ready"; echo

echo "== 1. credit check before deciding (a new applicant: the officer's token says so)"
call "$OFFICER_TOKEN" POST /checks '{"subject_id": "'$APPLICANT'", "purpose": "licensing",
  "on": "2026-06-01", "domain": "road_transport", "new_subject": true}'

echo "== 2. the applicant commits; the licence is approved on commitment"
# The commitment is the applicant's own act (its token). That the applicant is new is the
# licensing authority's fact, not the applicant's: the officer's token vouches for it in
# Official-Authorization (the applicant's token alone asserting new_subject is 403).
APPROVAL='{"subject_id": "'$APPLICANT'", "on": "2026-06-01", "approval_id": "XK-2026-001",
  "domain": "road_transport", "new_subject": true}'
call "$APPLICANT_TOKEN" POST /commitments/approvals "$APPROVAL" \
  -H "Official-Authorization: Bearer $OFFICER_TOKEN" \
  -H "Idempotency-Key: approve:XK-2026-001"

echo "== 3. the same request retried (a lost answer): the same case, nothing written twice"
ANSWER=$(call "$APPLICANT_TOKEN" POST /commitments/approvals "$APPROVAL" \
  -H "Official-Authorization: Bearer $OFFICER_TOKEN" \
  -H "Idempotency-Key: approve:XK-2026-001")
echo "$ANSWER"
CASE=$(printf '%s' "$ANSWER" | sed -n 's/.*"case_id":"\([^"]*\)".*/\1/p' | head -n 1)

echo "== 4. the case and its version (ETag)"
ETAG=$(curl --silent --show-error --fail-with-body -o /dev/null -D - "$URL/cases/$CASE" \
  -H "Authorization: Bearer $OFFICER_TOKEN" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
echo "case $CASE at ETag $ETAG"

echo "== 5. on-site verification, conditional on the version read (412 if it moved)"
call "$OFFICER_TOKEN" POST "/commitments/$CASE/verification" \
  '{"fulfilled": true, "on": "2026-06-20"}' \
  -H "If-Match: $ETAG" -H "Idempotency-Key: verify:XK-2026-001"

echo "== 6. the daily poll of overdue verifications"
call "$OFFICER_TOKEN" GET "/commitments/overdue?on=2026-08-01"

echo "== 7. what is public today, with the anchor of the book it was read from"
call "$OFFICER_TOKEN" GET "/notices?on=2026-06-21"
