//! Outputs: machine formats for a scan (JSON Lines, SARIF, CSV) and the table a person
//! reads in a terminal. The executive PDF and XLSX register arrive with the register
//! issue.
