-- Applied by the operator's migration tool before the service starts.
CREATE TABLE visits (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
