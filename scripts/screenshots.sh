#!/usr/bin/env bash
# Screenshots of every public page of dsar, at phone and desktop widths.
#
#   scripts/screenshots.sh OUTDIR
#
# Builds ./cmd/dsar, runs it on a temporary data directory and a free port
# (mail goes to files, so the development mailbox is on), walks the pages
# a person sees, in French and in English, and writes OUTDIR/<page>-375.png
# and OUTDIR/<page>-1280.png. It stops the server and removes the temporary
# directory when it ends, even on failure.
#
# Pages reached by a POST (the form with errors, the confirmed page) are
# fetched with curl, saved under OUTDIR/html/ with a <base href> so that the
# stylesheet loads, and shot from the file. A few "focus-*" shots put
# keyboard focus on an element (autofocus added to a saved copy) to show the
# focus ring and the skip link.
#
# The pages carry no script (checkpages.py checks it, and the policy would
# block one), so what is shot is what a person without JavaScript sees.
# Chromium's console goes to OUTDIR/console.log; the script reports any Content
# Security Policy violation found there. If python3 is present,
# scripts/checkpages.py checks the saved HTML (labels, fieldsets, ARIA
# references, no inline style or script) and writes OUTDIR/checks.txt.
#
# Exits non-zero if a screenshot is missing, the console shows a policy
# violation, or checkpages.py finds a problem; look at the PNGs in any case.
#
# Needs go, curl and Chromium (set CHROMIUM to choose the binary).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
out=$(mkdir -p "$1" && cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
scripts="$root/scripts"

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium chromium-browser google-chrome google-chrome-stable; do
		if command -v "$c" >/dev/null 2>&1; then chromium=$(command -v "$c"); break; fi
	done
fi
if [ -z "$chromium" ]; then
	echo "screenshots: no Chromium found; install it (apt-get install chromium) or set CHROMIUM" >&2
	exit 1
fi

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# free_port asks the kernel for an unused port, or tries random ones.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
		return
	fi
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "$p"; return; fi
	done
	echo "screenshots: no free port found" >&2
	return 1
}

echo "Building dsar..."
(cd "$root" && go build -o "$tmp/dsar" ./cmd/dsar)

port=$(free_port)
base="http://127.0.0.1:$port"
(cd "$tmp" && exec env DSAR_ADDR="127.0.0.1:$port" DSAR_BASE_URL="$base" DSAR_LOG_LEVEL=debug ./dsar >"$out/server.log" 2>&1) &
pid=$!
for _ in $(seq 100); do
	curl -fs -o /dev/null "$base/healthz" && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "screenshots: the server stopped; see $out/server.log" >&2
		exit 1
	fi
	sleep 0.1
done
echo "Server on $base (data in $tmp/data)"

mkdir -p "$out/html"
: >"$out/console.log"
profile="$tmp/chromium-profile"
failed=0

# shot NAME URL HEIGHT-AT-375 HEIGHT-AT-1280 [LANG]
# The window is as tall as given: the shot is the whole page when the page
# fits, with the page's background below it.
shot() {
	local name=$1 url=$2 hphone=$3 hdesk=$4 lang=${5:-fr-FR,fr} w h
	for w in 375 1280; do
		h=$hphone
		[ "$w" = 1280 ] && h=$hdesk
		{
			echo "== $name $w $url"
			"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
				--disable-background-networking --disable-component-update --disable-sync \
				--user-data-dir="$profile-$name-$w" --hide-scrollbars --force-device-scale-factor=1 \
				--accept-lang="$lang" \
				--enable-logging=stderr --v=0 \
				--window-size="$w,$h" --screenshot="$out/$name-$w.png" "$url" 2>&1 |
				grep -v -e 'dbus' -e 'Fontconfig' -e 'bytes written to file' -e 'unexpected operator' || true
		} >>"$out/console.log"
		rm -rf "$profile-$name-$w"
		if [ ! -s "$out/$name-$w.png" ]; then
			echo "screenshots: Chromium wrote no $name-$w.png; see $out/console.log" >&2
			failed=1
		fi
	done
	echo "  $name"
}

jar="$tmp/cookies"

# save_html NAME: reads a page on stdin, keeps it as OUTDIR/html/NAME.html
# with a <base> so that /static/style.css resolves to the server, and the
# server's Content-Security-Policy (from the last response's headers) as a
# <meta>, 'self' meaning the server, so that the copy is held to it too.
save_html() {
	local csp
	csp=$(tr -d '\r' <"$tmp/headers" | sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p' | tail -n 1 |
		sed -e "s|'self'|$base|g" -e 's/; *frame-ancestors[^;]*//' -e 's/; *base-uri[^;]*//' -e 's/; *sandbox[^;]*//')
	sed "s|<head>|<head><base href=\"$base/\"><meta http-equiv=\"Content-Security-Policy\" content=\"$csp\">|" >"$out/html/$1.html"
}

# csrf FILE: the csrf_token in a saved page.
csrf() {
	sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$1" | head -n 1
}

# get NAME PATH: GET with the cookie jar, saved.
get() {
	curl -sS -D "$tmp/headers" -o "$tmp/body" -c "$jar" -b "$jar" "$base$2"
	save_html "$1" <"$tmp/body"
}

# post NAME PATH CURL-ARGS...: POST with the cookie jar, saved whatever the status.
post() {
	local name=$1 path=$2
	shift 2
	curl -sS -D "$tmp/headers" -o "$tmp/body" -c "$jar" -b "$jar" "$@" "$base$path"
	save_html "$name" <"$tmp/body"
}

# focused NAME FROM PATTERN: a copy of html/FROM.html in which the first
# element matching the sed PATTERN (an opening tag's start) has autofocus.
focused() {
	sed "0,/$3/s//& autofocus/" "$out/html/$2.html" >"$out/html/$1.html"
}

# mail_link N KIND: the first /KIND/ link in the N-th mail, with
# quoted-printable soft line breaks joined.
mail_link() {
	local f
	f=$(ls "$tmp/data/mail/"*.eml 2>/dev/null | sort | sed -n "${1}p")
	[ -n "$f" ] || return 1
	sed -e ':a' -e '/=$/{N;s/=\n//;ba' -e '}' "$f" | grep -o "https\?://[^ <\"]*/$2/[A-Za-z0-9_-]*" | head -n 1
}

# wait_mail N: waits for the outbox worker to write the N-th mail.
wait_mail() {
	for _ in $(seq 100); do
		[ "$(ls "$tmp/data/mail/"*.eml 2>/dev/null | wc -l)" -ge "$1" ] && return 0
		sleep 0.1
	done
	echo "screenshots: mail $1 was not written; see $out/server.log" >&2
	return 1
}

long_text=$(head -c 5200 /dev/zero | tr '\0' 'x')
long_url="https://www.example.org/un/tres/long/chemin/$(head -c 120 /dev/zero | tr '\0' 'a')?avec=des&parametres=1"

echo "Shooting pages into $out:"

# The empty form, in each language.
shot form-fr "$base/?lang=fr" 2600 1900
shot form-en "$base/?lang=en" 2600 1900 en-US,en
get form-fr "/?lang=fr"

# The form sent back with an error on every kind of field: the shop and
# correction sections must show, as their radio and checkbox are ticked.
for lang in fr en; do
	rm -f "$jar"
	get "form-$lang" "/?lang=$lang"
	post "form-errors-$lang" "/?lang=$lang" --data-urlencode "csrf_token=$(csrf "$out/html/form-$lang.html")" \
		-d "lang=$lang" -d name= -d email=pas-une-adresse -d phone=abc \
		-d relationship=loyalty -d kinds=access -d kinds=rectification \
		--data-urlencode "details=$long_text $long_url"
	shot "form-errors-$lang" "file://$out/html/form-errors-$lang.html" 4200 2900
done

# Nothing chosen: the errors on the radio and checkbox groups, with the
# shop and correction sections hidden.
rm -f "$jar"
get form-fr "/?lang=fr"
post form-errors-empty "/?lang=fr" --data-urlencode "csrf_token=$(csrf "$out/html/form-fr.html")" -d lang=fr
shot form-errors-empty "file://$out/html/form-errors-empty.html" 2900 2000

# A mobile-app user: the shop section shows, its fields marked optional.
rm -f "$jar"
get form-en "/?lang=en"
post form-errors-app "/?lang=en" --data-urlencode "csrf_token=$(csrf "$out/html/form-en.html")" -d lang=en \
	-d email=someone@example.org -d relationship=app_user -d kinds=erasure
shot form-errors-app "file://$out/html/form-errors-app.html" 2900 2000

# A form error that is not about a field: the CSRF token is missing.
rm -f "$jar"
post form-expired "/?lang=fr" -d lang=fr --data-urlencode "name=Jeanne Dupont" -d email=jeanne@example.org
shot form-expired "file://$out/html/form-expired.html" 2800 2000

# Keyboard focus: the skip link, a text field with an error, a radio, the button.
focused focus-skip form-fr '<a class="skip"'
focused focus-input form-errors-fr '<input type="email"'
focused focus-radio form-errors-fr '<input type="radio"'
focused focus-button form-fr '<button'
# The windows are as tall as the pages, so that focusing scrolls nothing.
shot focus-skip "file://$out/html/focus-skip.html" 700 700
shot focus-input "file://$out/html/focus-input.html" 4200 2900
shot focus-radio "file://$out/html/focus-radio.html" 4200 2900
shot focus-button "file://$out/html/focus-button.html" 2600 1900

# A valid request, with a long address and long texts that must wrap.
rm -f "$jar"
get form-valid "/?lang=fr"
post submit "/?lang=fr" --data-urlencode "csrf_token=$(csrf "$out/html/form-valid.html")" \
	-d lang=fr --data-urlencode "name=Jeanne-Marie de La Tour-Dupont" \
	-d email=jeanne-marie.de-la-tour-dupont.tres-longue-adresse@sous-domaine.exemple-de-cooperative.fr \
	-d "phone=06 12 34 56 78" -d relationship=loyalty -d "shop_name=Épicerie du Vrac" -d shop_town=Pau \
	-d kinds=access -d kinds=rectification -d "rectify_wrong=Mon adresse" -d "rectify_correct=12 rue des Halles"
rm -f "$out/html/submit.html" # the redirect's body, not a page
shot submitted "$base/submitted?lang=fr" 1000 900
shot submitted-en "$base/submitted?lang=en" 1000 900 en-US,en

# The confirmation link from the first mail, then the confirmed page.
wait_mail 1
confirm=$(mail_link 1 c) || true
if [ -z "$confirm" ]; then
	echo "screenshots: no confirmation link in the first mail" >&2
	exit 1
fi
confirm_path=${confirm#"$base"}
shot confirm "$confirm" 1000 900
rm -f "$jar"
get confirm "$confirm_path"
post confirmed "$confirm_path" --data-urlencode "csrf_token=$(csrf "$out/html/confirm.html")"
shot confirmed "file://$out/html/confirmed.html" 1000 900

# The status link from the acknowledgment, the second mail.
wait_mail 2
status=$(mail_link 2 s) || true
if [ -z "$status" ]; then
	echo "screenshots: no status link in the acknowledgment" >&2
	exit 1
fi
shot status "$status" 1100 900
shot status-en "$status?lang=en" 1100 900 en-US,en

# Links that cannot be used, and an unknown page.
shot link-used "$confirm" 1000 900
shot link-unknown "$base/c/garbage" 1000 900
shot link-unknown-en "$base/c/garbage?lang=en" 1000 900 en-US,en
shot not-found "$base/nope" 1000 900

# The development mailbox, one message, and the mails' HTML on their own.
shot mailbox "$base/dev/mail" 1000 900
for n in 1 2; do
	name=$(basename "$(ls "$tmp/data/mail/"*.eml | sort | sed -n "${n}p")")
	shot "mailbox-message-$n" "$base/dev/mail/$name" 2600 2000
	shot "mail-html-$n" "$base/dev/mail/$name/html" 1300 1000
done

# Save the GET pages too, for the HTML checks.
get submitted "/submitted?lang=fr"
get status "${status#"$base"}"
get link-unknown "/c/garbage"
get mailbox "/dev/mail"

if grep -i -e 'content security policy' -e 'Refused to' "$out/console.log" >/dev/null; then
	echo "Content Security Policy violations (see $out/console.log):"
	grep -i -e 'content security policy' -e 'Refused to' "$out/console.log" | sort -u | head -n 20
	failed=1
else
	echo "No Content Security Policy violation in the console."
fi

if command -v python3 >/dev/null 2>&1; then
	python3 "$scripts/checkpages.py" "$out/html/"*.html >"$out/checks.txt" || failed=1
	cat "$out/checks.txt"
fi
echo "Done: $(ls "$out"/*.png | wc -l) screenshots in $out"
exit "$failed"
