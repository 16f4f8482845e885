-- The data contract (DESIGN.md). Table and column names here are relied on by tests, the importer and
-- users' own SQL: add, never rename.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE sessions (
    session_no        INTEGER PRIMARY KEY,
    year              INTEGER NOT NULL,
    name_zh           VARCHAR NOT NULL,
    name_en           VARCHAR NOT NULL,
    programme_name_zh VARCHAR NOT NULL,
    name_attested     BOOLEAN NOT NULL,
    launch_date       DATE,
    review_date       DATE,
    note_zh           VARCHAR,
    note_en           VARCHAR,
    organiser_zh      VARCHAR,  -- 深圳工经联 in the early years, 深圳工业总会 later
    organiser_en      VARCHAR,
    CHECK (year = 2001 + session_no),
    CHECK (session_no BETWEEN 1 AND 99)  -- the importer's SESSION_MIN / SESSION_MAX (core.importer.fields)
);

CREATE TABLE districts (
    district_code VARCHAR PRIMARY KEY,
    name_zh       VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('district', 'new_area', 'cooperation_zone')),
    established   DATE NOT NULL,
    history_zh    VARCHAR,
    history_en    VARCHAR
);

CREATE TABLE district_aliases (
    alias         VARCHAR PRIMARY KEY,
    alias_key     VARCHAR NOT NULL,  -- normalised spelling used for matching (core.districts.alias_key)
    district_code VARCHAR NOT NULL REFERENCES districts (district_code)
);

CREATE TABLE industries (
    industry_code VARCHAR PRIMARY KEY,
    level         VARCHAR NOT NULL CHECK (level IN ('division', 'group')),
    parent_code   VARCHAR,
    name_zh       VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL
);

CREATE TABLE companies (
    company_id    VARCHAR PRIMARY KEY,
    name_zh       VARCHAR NOT NULL,
    name_en       VARCHAR,
    district_code VARCHAR REFERENCES districts (district_code),
    source        VARCHAR NOT NULL
);

CREATE TABLE records (
    record_id       VARCHAR PRIMARY KEY,
    session_no      INTEGER NOT NULL REFERENCES sessions (session_no),
    company_id      VARCHAR NOT NULL REFERENCES companies (company_id),
    project_name_zh VARCHAR NOT NULL,
    project_name_en VARCHAR,
    category        VARCHAR CHECK (category IN ('product_rd', 'manufacturing', 'modern_service')),
    industry_code   VARCHAR REFERENCES industries (industry_code),
    industry_raw    VARCHAR,           -- the industry as the session's list published it
    district_code   VARCHAR REFERENCES districts (district_code),
    district_raw    VARCHAR NOT NULL,  -- the district as the session's list published it
    award_level     VARCHAR CHECK (award_level IN ('national', 'provincial', 'municipal')),  -- S&T progress award
    -- the programme's own prize for the record (published for sessions 2 and 11); never mixed with award_level
    programme_prize VARCHAR CHECK (programme_prize IN ('gold', 'silver', 'excellence', 'circular_economy',
                                                       'innovation')),
    source          VARCHAR NOT NULL
);

CREATE TABLE company_profiles (
    session_no         INTEGER NOT NULL REFERENCES sessions (session_no),
    company_id         VARCHAR NOT NULL REFERENCES companies (company_id),
    approved           BOOLEAN NOT NULL,
    is_high_tech       BOOLEAN,
    annual_revenue_cny BIGINT,
    qualification      VARCHAR CHECK (qualification IN
                         ('single_champion', 'little_giant', 'provincial_srdi', 'municipal_srdi')),
    district_code      VARCHAR REFERENCES districts (district_code),  -- harmonised, at application time
    district_raw       VARCHAR,
    source             VARCHAR NOT NULL,
    PRIMARY KEY (session_no, company_id)
);

-- Every project that applied, approved or not; approved ones point at their record.
CREATE TABLE applications (
    application_id  VARCHAR PRIMARY KEY,
    session_no      INTEGER NOT NULL REFERENCES sessions (session_no),
    company_id      VARCHAR NOT NULL REFERENCES companies (company_id),
    project_name_zh VARCHAR NOT NULL,
    industry_code   VARCHAR REFERENCES industries (industry_code),
    industry_raw    VARCHAR,
    record_id       VARCHAR REFERENCES records (record_id),
    source          VARCHAR NOT NULL
);

CREATE TABLE published_stats (
    session_no   INTEGER,
    session_from INTEGER NOT NULL,
    session_to   INTEGER NOT NULL,
    scope        VARCHAR NOT NULL,
    metric       VARCHAR NOT NULL,
    value        DOUBLE,
    value_max    DOUBLE,   -- upper end of a range ('between': "50多" is 51-59)
    value_text   VARCHAR,
    unit         VARCHAR NOT NULL,
    -- eq: exactly; between: value..value_max; le: at most; gt: more than; reported: not derivable from records
    comparison   VARCHAR NOT NULL CHECK (comparison IN ('eq', 'between', 'le', 'gt', 'reported')),
    decimals     INTEGER NOT NULL,
    publisher    VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    published_on DATE NOT NULL,
    url          VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,  -- the full citation: publisher, title, date, address
    CHECK ((comparison = 'between') = (value_max IS NOT NULL))
);

-- Reference lists for the plausibility checks (data/plausibility.sql).
CREATE TABLE product_terms (       -- products and the GB/T group that makes them (data/demo/products.csv)
    group_code    VARCHAR NOT NULL,
    name_zh       VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    first_session INTEGER NOT NULL,
    last_session  INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,
    basis         VARCHAR
);

CREATE TABLE source_quotes (       -- sentences quoted word for word from a session's published source
    session_no INTEGER NOT NULL REFERENCES sessions (session_no),
    lang       VARCHAR NOT NULL,
    text       VARCHAR NOT NULL,
    note       VARCHAR
);

CREATE TABLE named_firms (         -- real firms named in the published sources: never a demo company
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    why     VARCHAR
);

CREATE TABLE district_name_periods (  -- years in which a district or new-area name was in use
    name_zh       VARCHAR PRIMARY KEY,
    district_code VARCHAR NOT NULL REFERENCES districts (district_code),
    first_year    INTEGER NOT NULL,
    last_year     INTEGER NOT NULL,
    note          VARCHAR
);

CREATE TABLE import_log (
    import_id      INTEGER PRIMARY KEY,
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    session_no     INTEGER NOT NULL,
    rows_accepted  INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    imported_by    VARCHAR NOT NULL,
    imported_at    TIMESTAMP NOT NULL
);
