package figmaconnect

import (
	"html/template"
	"net/http"
)

// setPageHeaders sets what every answer of the flow carries: no cache, no
// Referer to wherever the page links, no sniffing, no framing, no script.
func setPageHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'")
}

// pageText is what a page of the flow says. None quotes the request.
type pageText struct {
	title, message string
	restart        bool // link to the start handler
}

var (
	pageMethod       = pageText{"Method not allowed", "This address takes GET requests only.", false}
	pageDenied       = pageText{"Figma was not connected", "The authorization was declined.", true}
	pageNoCode       = pageText{"Figma was not connected", "Figma sent no authorization code back, or one that is not valid.", true}
	pageCodeRefused  = pageText{"Figma was not connected", "This authorization was already used, has expired, or is not valid. Start again for a new one.", true}
	pageExchangeDown = pageText{"Figma could not be connected right now", "The token service did not complete the exchange. Try again in a moment.", true}
	pageNotKept      = pageText{"Figma could not be connected", "The connection could not be saved. Try again in a moment.", true}
	pageGuardDown    = pageText{"Figma could not be connected right now", "The connection could not be checked. Try again in a moment.", true}
)

// providerErrorPage is the page for an error Figma sent back other than
// access_denied, by its OAuth 2.0 error code (RFC 6749, section 4.1.2.1),
// and its status: Figma's own trouble is a 502, the rest 400.
func providerErrorPage(code string) (int, pageText) {
	text := pageText{"Figma was not connected", "Figma refused the authorization request.", true}
	switch code {
	case "server_error", "temporarily_unavailable":
		text.message = "Figma could not answer the authorization request. Try again in a moment."
		return http.StatusBadGateway, text
	case "invalid_scope":
		text.message = "Figma refused the permissions this site asked for."
	case "unauthorized_client", "invalid_request", "unsupported_response_type":
		text.message = "Figma refused this site's authorization request."
	}
	return http.StatusBadRequest, text
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p id="message">{{.Message}}</p>
{{if .Restart}}<p><a id="restart" href="{{.StartURL}}" rel="noreferrer">Start again</a></p>{{end}}
</body></html>
`))

// page writes text as an HTML page with status.
func (f *Flow) page(w http.ResponseWriter, status int, text pageText) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, struct {
		Title, Message, StartURL string
		Restart                  bool
	}{text.title, text.message, f.cfg.StartURL, text.restart})
}
