// Package odootest is an Odoo test server. It speaks Odoo's external API as
// Odoo 16 to 19 do, from their source: XML-RPC on /xmlrpc/2/common,
// /xmlrpc/2/object and /xmlrpc/2/db (and the legacy /xmlrpc/... with string
// fault codes), the JSON-RPC route /web/webclient/version_info, and from
// version 19 the JSON-2 API on /json/2/<model>/<method>, over an in-memory
// Dataset.
//
// What it imitates, by version: the marshalling of OdooMarshaller (never
// <nil/>; False for empty values; many2one as [id, name]; dates as strings;
// integer fields above 2^31-1 as doubles; a None result is fault 1 after the
// changes are made), the fault codes and texts of xmlrpc_handle_exception_int,
// authenticate's False on bad credentials, the login cooldown per source
// address, the domain semantics of Odoo's expression parser (NULLs, ilike
// with % and _, active_test, paths, any, child_of), the models and fields dsar
// reads (mobile until 18, loyalty.card.active from 18), the ondelete rules
// that make a partner hard to delete, and JSON-2's statuses and error bodies.
//
// Start runs a server for a test; New and Handler mount one elsewhere (the
// service's demo mode). DemoVRACOOP and DemoShop are ready-made datasets.
package odootest
