-- Team pages: the team changes of several cases that set the same members,
-- made together by one device and signed once, each member's case keys
-- sealed once for the page (core/src/sync/team_page.rs). A page takes one
-- server sequence number (`seq`, the rowid, as for team entries); its
-- cases are listed in team_page_cases, found by case for a pull. A page is
-- served whole to a member of any of its cases (a later member of one
-- case needs that case's history, kept in the page).

CREATE TABLE team_pages (
    seq    INTEGER PRIMARY KEY,
    id     BLOB NOT NULL UNIQUE,
    signer BLOB NOT NULL,
    body   BLOB NOT NULL
);

CREATE TABLE team_page_cases (
    page_seq BIGINT NOT NULL,
    case_id  BLOB NOT NULL,
    PRIMARY KEY (page_seq, case_id)
);
CREATE INDEX team_page_cases_by_case ON team_page_cases (case_id, page_seq);
