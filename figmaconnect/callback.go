package figmaconnect

import (
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// CallbackHandler returns the handler to serve at Config.RedirectURL, where
// Figma sends the user back. It checks the state first, and sends no
// exchange unless the state is valid, this browser's, and used for the first
// time; then it reads the code or Figma's error, exchanges the code for the
// same redirect URI, and hands the result to Config.OnConnect. The package
// documentation lists its answers.
func (f *Flow) CallbackHandler() http.Handler {
	return http.HandlerFunc(f.callback)
}

func (f *Flow) callback(w http.ResponseWriter, r *http.Request) {
	setPageHeaders(w.Header())
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		f.page(w, http.StatusMethodNotAllowed, pageMethod)
		return
	}
	query := r.URL.Query()
	st, err := f.checkState(r, single(query["state"]))
	if errors.Is(err, errStateExpired) {
		http.SetCookie(w, f.clearCookie())
	}
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	// From here the state is spent, whatever happens next.
	http.SetCookie(w, f.clearCookie())
	first, err := f.guard.FirstUse(r.Context(), st.value, st.expires)
	if err != nil {
		// The guard is the caller's: its error may quote the state.
		f.log.ErrorContext(r.Context(), "figmaconnect: the replay guard failed; callback refused",
			"error", redact.NewScrubber(st.value).Scrub(err.Error()))
		f.page(w, http.StatusInternalServerError, pageGuardDown)
		return
	}
	if !first {
		f.refuse(w, r, errStateReused)
		return
	}

	if providerErr := query.Get("error"); providerErr != "" {
		f.log.InfoContext(r.Context(), "figmaconnect: Figma sent an error to the callback", "error", knownProviderError(providerErr))
		if providerErr == "access_denied" {
			if f.cfg.OnDenied != nil {
				f.cfg.OnDenied(w, r)
				return
			}
			f.page(w, http.StatusBadRequest, pageDenied)
			return
		}
		status, text := providerErrorPage(providerErr)
		f.page(w, status, text)
		return
	}
	code := single(query["code"])
	if code == "" || len(code) > maxCodeLength {
		f.log.WarnContext(r.Context(), "figmaconnect: callback refused", "reason", "no code, or one longer than any Figma sends")
		f.page(w, http.StatusBadRequest, pageNoCode)
		return
	}
	f.exchange(w, r, code)
}

// maxCodeLength is the longest code the callback sends to the service;
// Figma's are a few dozen characters.
const maxCodeLength = 2048

// single returns the only value of a query parameter, or "" if there is
// none or more than one: a callback that repeats a parameter is not Figma's.
func single(values []string) string {
	if len(values) != 1 {
		return ""
	}
	return values[0]
}

// refuse answers a callback whose state does not pass with 400.
func (f *Flow) refuse(w http.ResponseWriter, r *http.Request, why error) {
	f.log.WarnContext(r.Context(), "figmaconnect: callback refused", "reason", why.Error())
	f.page(w, http.StatusBadRequest, pageText{"Figma was not connected", "The connection could not be checked: " + why.Error() + ".", true})
}

// exchange trades code for tokens with the same redirect URI and client id,
// and hands the result to OnConnect.
func (f *Flow) exchange(w http.ResponseWriter, r *http.Request, code string) {
	issued := f.cfg.Now()
	out, err := f.cfg.Client.ExchangeCodeForToken(r.Context(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: f.cfg.Provider,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String(code),
			RedirectUri: aws.String(f.cfg.RedirectURL),
			ClientId:    aws.String(f.cfg.ClientID),
		},
	})
	if err != nil {
		// The client's errors carry no secret of the call; scrub anyway,
		// for a client of the caller's own.
		scrubbed := redact.NewScrubber(code, f.cfg.ClientID).Scrub(err.Error())
		var invalid *types.InvalidParameterException
		if errors.As(err, &invalid) {
			f.log.WarnContext(r.Context(), "figmaconnect: the service refused the code", "error", scrubbed)
			f.page(w, http.StatusBadRequest, pageCodeRefused)
			return
		}
		f.log.ErrorContext(r.Context(), "figmaconnect: the exchange failed", "error", scrubbed)
		f.page(w, http.StatusBadGateway, pageExchangeDown)
		return
	}
	if out == nil {
		out = &amplifyuibuilder.ExchangeCodeForTokenOutput{}
	}
	opts := append([]tokensource.Option{tokensource.WithClientID(f.cfg.ClientID)}, f.cfg.TokenOptions...)
	conn := &Connection{Output: out, Source: tokensource.FromExchange(f.cfg.Client, f.cfg.Provider, out, issued, opts...)}

	tw := &trackingWriter{ResponseWriter: w}
	if err := f.cfg.OnConnect(tw, r, conn); err != nil {
		// OnConnect is the caller's, and so is its error, which may quote
		// what it failed to store.
		secrets := redact.NewScrubber(code, f.cfg.ClientID, aws.ToString(out.AccessToken), aws.ToString(out.RefreshToken))
		f.log.ErrorContext(r.Context(), "figmaconnect: OnConnect failed", "error", secrets.Scrub(err.Error()))
		if !tw.wrote {
			f.page(w, http.StatusInternalServerError, pageNotKept)
		}
		return
	}
	if !tw.wrote {
		w.Header().Set("Location", f.cfg.DoneURL)
		w.WriteHeader(http.StatusSeeOther)
	}
}

// knownProviderError returns code if it is an OAuth 2.0 error code, else
// "other": what Figma's error parameter says goes into a log line only when
// it is one of the words the standard defines.
func knownProviderError(code string) string {
	switch code {
	case "access_denied", "invalid_request", "unauthorized_client", "unsupported_response_type",
		"invalid_scope", "server_error", "temporarily_unavailable":
		return code
	}
	return "other"
}

// trackingWriter tells whether OnConnect wrote a response of its own.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(status int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *trackingWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}
