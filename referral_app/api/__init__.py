"""The read-only Open Referral UK 3.0 API (`/api/openreferral/`)."""
