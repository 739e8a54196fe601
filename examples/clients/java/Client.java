// A complete e-invoice client for the IRP emulator (NIC e-invoice API v1.03/v1.04).
//
// It authenticates, looks up a GSTIN, generates an IRN for a sample invoice, verifies the
// signed invoice and the signed QR code, gets the IRN back, cancels it and checks that it
// is cancelled. One line per step; exit status 0 only when every step and check passed.
//
// Environment:
//   IRP_BASE_URL   the emulator, e.g. http://127.0.0.1:8080 (required)
//   IRP_INVOICE    the invoice to post (default: examples/invoices/b2b-intra-state.json)
//
// Everything else (client id and secret, user and password, the auth public key and the
// signing certificate) comes from the emulator's GET /__emulator__/sandbox. Against NIC's
// sandbox you would read them from your own configuration instead.
//
// JDK 17 only (java.net.http, javax.crypto, java.security); the JDK has no JSON library, so
// a small reader and writer is at the end of this file. Run it with `java Client.java`.

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

public class Client {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final SecureRandom RANDOM = new SecureRandom();

    /** A step or a check did not pass. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    static void step(String text) {
        System.out.println("ok   " + text);
    }

    static void check(boolean condition, String text) throws Failed {
        if (!condition) {
            throw new Failed(text);
        }
    }

    // --- Crypto: the four primitives of the wire protocol ---------------------------------

    /** AES-256-ECB with PKCS#7 padding (Java calls it PKCS5Padding; for AES it is PKCS#7). */
    static byte[] aesEncrypt(byte[] key, byte[] plaintext) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return cipher.doFinal(plaintext);
    }

    static byte[] aesDecrypt(byte[] key, byte[] ciphertext) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
        return cipher.doFinal(ciphertext);
    }

    /** RSA PKCS#1 v1.5 (not OAEP) with the IRP's auth public key (PEM, SubjectPublicKeyInfo). */
    static byte[] rsaEncrypt(String publicKeyPem, byte[] plaintext) throws GeneralSecurityException {
        String base64 = publicKeyPem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        PublicKey key = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(plaintext);
    }

    static X509Certificate certificate(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Checks an RS256 compact JWS against the certificate; returns its payload. */
    static Map<String, Object> verifyJws(String jws, X509Certificate certificate)
            throws Failed, GeneralSecurityException {
        String[] parts = jws.split("\\.");
        check(parts.length == 3, "a JWS has three dot-separated parts");
        Base64.Decoder b64url = Base64.getUrlDecoder();
        Map<String, Object> header = Json.parseObject(utf8(b64url.decode(parts[0])));
        check("RS256".equals(header.get("alg")), "JWS alg is RS256, got " + header.get("alg"));
        // kid = upper-case hex SHA-1 of the certificate (DER), as NIC publishes it.
        String thumbprint = HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        check(thumbprint.equals(header.get("kid")),
                "JWS kid " + header.get("kid") + " is the certificate's " + thumbprint);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        check(verifier.verify(b64url.decode(parts[2])), "JWS signature does not verify with the signing certificate");
        return Json.parseObject(utf8(b64url.decode(parts[1])));
    }

    // --- The IRP's envelope ---------------------------------------------------------------

    static final class Irp {
        final String baseUrl;
        final String clientId;
        final String clientSecret;
        final String authPublicKeyPem;
        // The IRP speaks HTTP/1.1 only; Java's client would otherwise offer an h2c upgrade.
        final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
        String gstin;
        String username;
        String token;
        byte[] sek;

        Irp(String baseUrl, Map<String, Object> sandbox) {
            this.baseUrl = baseUrl;
            this.clientId = (String) sandbox.get("client_id");
            this.clientSecret = (String) sandbox.get("client_secret");
            this.authPublicKeyPem = (String) sandbox.get("auth_public_key_pem");
        }

        static Map<String, Object> send(HttpClient http, HttpRequest request, String what) throws Failed {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new Failed(what + ": cannot reach " + request.uri() + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failed(what + ": interrupted");
            }
            String text = response.body();
            String snippet = text.replaceAll("\\s+", " "); // the start of an unexpected answer, on one line
            snippet = snippet.substring(0, Math.min(300, snippet.length()));
            if (response.statusCode() != 200) {
                throw new Failed(what + ": HTTP " + response.statusCode() + ": " + snippet);
            }
            try {
                return Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                throw new Failed(what + ": the answer is not a JSON object (" + e.getMessage() + "): " + snippet);
            }
        }

        static Map<String, Object> envelope(Map<String, Object> body, String what) throws Failed {
            if (!Json.numberIs(body.get("Status"), 1)) {
                throw new Failed(what + ": Status " + body.get("Status")
                        + ", ErrorDetails " + Json.write(body.get("ErrorDetails")));
            }
            return body;
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(TIMEOUT)
                    .header("client_id", clientId)
                    .header("client_secret", clientSecret)
                    .header("Gstin", gstin)
                    .header("user_name", username)
                    .header("AuthToken", token)
                    .header("Content-Type", "application/json");
        }

        /** {@code Data} of a success answer: base64 of AES-ECB(SEK, JSON text). */
        Map<String, Object> openData(Map<String, Object> body) throws GeneralSecurityException {
            byte[] plain = aesDecrypt(sek, Base64.getDecoder().decode((String) body.get("Data")));
            return Json.parseObject(utf8(plain));
        }

        Map<String, Object> auth(String gstin, String username, String password)
                throws Failed, GeneralSecurityException {
            byte[] appKey = new byte[32];
            RANDOM.nextBytes(appKey);
            Map<String, Object> credentials = new LinkedHashMap<>();
            credentials.put("UserName", username);
            credentials.put("Password", password);
            credentials.put("AppKey", Base64.getEncoder().encodeToString(appKey));
            credentials.put("ForceRefreshAccessToken", false);
            // JSON -> base64 -> RSA PKCS#1 v1.5 -> base64.
            byte[] plain = Base64.getEncoder().encode(Json.write(credentials).getBytes(StandardCharsets.UTF_8));
            String data = Base64.getEncoder().encodeToString(rsaEncrypt(authPublicKeyPem, plain));
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/eivital/v1.04/auth"))
                    .timeout(TIMEOUT)
                    .header("client_id", clientId)
                    .header("client_secret", clientSecret)
                    .header("Gstin", gstin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("Data", data))))
                    .build();
            Map<String, Object> answer = Json.object(envelope(send(http, request, "auth"), "auth").get("Data"));
            this.gstin = gstin;
            this.username = username;
            this.token = (String) answer.get("AuthToken");
            // Sek = base64(AES-256-ECB(AppKey, SEK)); the SEK encrypts everything from here on.
            this.sek = aesDecrypt(appKey, Base64.getDecoder().decode((String) answer.get("Sek")));
            check(sek.length == 32, "SEK is 32 bytes, got " + sek.length);
            return answer;
        }

        Map<String, Object> get(String path, String what) throws Failed, GeneralSecurityException {
            return openData(envelope(send(http, request(path).GET().build(), what), what));
        }

        Map<String, Object> post(String path, Object payload, String what) throws Failed, GeneralSecurityException {
            byte[] sealed = aesEncrypt(sek, Json.write(payload).getBytes(StandardCharsets.UTF_8));
            String body = Json.write(Map.of("Data", Base64.getEncoder().encodeToString(sealed)));
            HttpRequest request = request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return openData(envelope(send(http, request, what), what));
        }
    }

    // --- The run --------------------------------------------------------------------------

    /** 16 characters at most, [A-Za-z0-9/-], not starting with 0, / or -. */
    static String freshDocumentNumber(String prefix) {
        byte[] suffix = new byte[2];
        RANDOM.nextBytes(suffix);
        String stamp = Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        return prefix + "-" + stamp + "-" + HexFormat.of().withUpperCase().formatHex(suffix);
    }

    static String financialYear(String ddmmyyyy) {
        String[] parts = ddmmyyyy.split("/");
        int month = Integer.parseInt(parts[1]);
        int year = Integer.parseInt(parts[2]);
        int start = month >= 4 ? year : year - 1;
        return String.format("%d-%02d", start, (start + 1) % 100);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String sha256Hex(String text) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    static void run(String baseUrl) throws Failed, GeneralSecurityException, IOException {
        // 1. Configuration from the emulator's control namespace.
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // The control namespace answers loopback callers; an emulator in another container or
        // host is started with an admin token, sent as a bearer token.
        HttpRequest.Builder configurationRequest =
                HttpRequest.newBuilder(URI.create(baseUrl + "/__emulator__/sandbox")).timeout(TIMEOUT).GET();
        String adminToken = System.getenv("IRP_EMULATOR_ADMIN_TOKEN");
        if (adminToken != null && !adminToken.isEmpty()) {
            configurationRequest.header("Authorization", "Bearer " + adminToken);
        }
        HttpRequest configuration = configurationRequest.build();
        Map<String, Object> sandbox = Irp.send(plain, configuration, "sandbox");
        X509Certificate certificate = certificate((String) sandbox.get("signing_certificate_pem"));
        List<Object> users = Json.array(sandbox.get("users"));
        step("sandbox: client " + sandbox.get("client_id") + ", " + users.size() + " users, certificate kid "
                + sandbox.get("signing_kid"));

        String invoicePath = Objects.requireNonNullElse(System.getenv("IRP_INVOICE"), "");
        Path path = invoicePath.isEmpty() ? defaultInvoice() : Path.of(invoicePath);
        Map<String, Object> invoice = Json.parseObject(Files.readString(path));
        Map<String, Object> docDtls = Json.object(invoice.get("DocDtls"));
        Map<String, Object> valDtls = Json.object(invoice.get("ValDtls"));
        String seller = (String) Json.object(invoice.get("SellerDtls")).get("Gstin");
        String buyer = (String) Json.object(invoice.get("BuyerDtls")).get("Gstin");
        String docNo = freshDocumentNumber("JV");
        docDtls.put("No", docNo);
        Map<String, Object> user = null;
        for (Object candidate : users) {
            Map<String, Object> u = Json.object(candidate);
            List<Object> clients = Json.array(u.get("clients"));
            if (seller.equals(u.get("gstin")) && (clients.isEmpty() || clients.contains(sandbox.get("client_id")))) {
                user = u;
                break;
            }
        }
        check(user != null, "sandbox has no user for the seller " + seller);

        Irp irp = new Irp(baseUrl, sandbox);

        // 2. Auth.
        String username = (String) user.get("username");
        Map<String, Object> login = irp.auth(seller, username, (String) user.get("password"));
        step("auth: " + username + " for " + seller + ", token till " + login.get("TokenExpiry")
                + ", SEK " + irp.sek.length + " bytes");

        // 3. Get GSTIN details of the buyer (of the seller for an export: its buyer is "URP").
        String party = buyer.equals("URP") ? seller : buyer;
        Map<String, Object> details = irp.get("/eivital/v1.03/Master/gstin/" + party, "get GSTIN details");
        check(party.equals(details.get("Gstin")), "GSTIN details are for " + party + ", got " + details.get("Gstin"));
        check("ACT".equals(details.get("Status")), party + " is active, got " + details.get("Status"));
        step("get GSTIN details: " + party + " " + details.get("LegalName") + ", status " + details.get("Status"));

        // 4. Generate IRN.
        Map<String, Object> generated = irp.post("/eicore/v1.03/Invoice", invoice, "generate IRN");
        String irn = (String) generated.get("Irn");
        check("ACT".equals(generated.get("Status")), "new IRN is ACT, got " + generated.get("Status"));
        String fy = financialYear((String) docDtls.get("Dt"));
        String expectedIrn = sha256Hex(seller + fy + docDtls.get("Typ") + docNo.toUpperCase());
        check(expectedIrn.equals(irn), "IRN is SHA-256(GSTIN + FY + type + number): " + irn + " != " + expectedIrn);
        Object ewbNo = generated.get("EwbNo");
        step("generate IRN: " + docNo + " -> AckNo " + generated.get("AckNo") + ", Irn " + irn
                + (ewbNo == null ? "" : ", EwbNo " + ewbNo));

        // 5. Verify the signed invoice.
        Map<String, Object> payload = verifyJws((String) generated.get("SignedInvoice"), certificate);
        Object issuer = sandbox.get("issuer");
        check(Objects.equals(payload.get("iss"), issuer),
                "signed invoice iss is " + issuer + ", got " + payload.get("iss"));
        // `data` is the invoice JSON as a string.
        Map<String, Object> signed = Json.parseObject((String) payload.get("data"));
        check(irn.equals(signed.get("Irn")), "signed invoice Irn " + signed.get("Irn") + " is the answer's " + irn);
        check(Json.sameNumber(signed.get("AckNo"), generated.get("AckNo")), "signed invoice AckNo is the answer's");
        check(docNo.equals(Json.object(signed.get("DocDtls")).get("No")), "signed invoice DocNo is " + docNo);
        check(seller.equals(Json.object(signed.get("SellerDtls")).get("Gstin")), "signed invoice seller is ours");
        check(Json.sameNumber(Json.object(signed.get("ValDtls")).get("TotInvVal"), valDtls.get("TotInvVal")),
                "signed invoice total is ours");
        step("verify SignedInvoice: RS256 signature valid, Irn, AckNo, DocNo, seller and total match");

        // 6. Verify the signed QR code.
        payload = verifyJws((String) generated.get("SignedQRCode"), certificate);
        Map<String, Object> qr = Json.parseObject((String) payload.get("data"));
        check(irn.equals(qr.get("Irn")), "QR Irn " + qr.get("Irn") + " is the answer's " + irn);
        check(docNo.equals(qr.get("DocNo")), "QR DocNo " + qr.get("DocNo") + " is " + docNo);
        check(seller.equals(qr.get("SellerGstin")), "QR SellerGstin " + qr.get("SellerGstin") + " is " + seller);
        check(buyer.equals(qr.get("BuyerGstin")), "QR BuyerGstin " + qr.get("BuyerGstin") + " is " + buyer);
        check(Objects.equals(qr.get("DocDt"), docDtls.get("Dt")), "QR DocDt is the invoice's");
        check(Json.sameNumber(qr.get("TotInvVal"), valDtls.get("TotInvVal")), "QR TotInvVal is the invoice's");
        int items = Json.array(invoice.get("ItemList")).size();
        check(Json.numberIs(qr.get("ItemCnt"), items), "QR ItemCnt is the number of items");
        check(Objects.equals(qr.get("IrnDt"), generated.get("AckDt")), "QR IrnDt is the AckDt");
        step("verify SignedQRCode: RS256 signature valid, " + qr.size() + " fields, Irn and DocNo match");

        // 7. Get IRN.
        Map<String, Object> got = irp.get("/eicore/v1.03/Invoice/irn/" + irn, "get IRN");
        check(irn.equals(got.get("Irn")), "Get IRN returns " + irn + ", got " + got.get("Irn"));
        check(Json.sameNumber(got.get("AckNo"), generated.get("AckNo")), "Get IRN returns the same AckNo");
        check(Objects.equals(got.get("SignedInvoice"), generated.get("SignedInvoice")),
                "Get IRN returns the same signed invoice");
        check("ACT".equals(got.get("Status")), "IRN is ACT, got " + got.get("Status"));
        step("get IRN: " + irn + " is " + got.get("Status") + ", same signed invoice");

        // 8. An IRN with an active e-way bill cannot be cancelled (2230): cancel the e-way bill
        // first. This API is the e-way bill system's (sandbox only), with its own lower-case
        // envelope: {"action": "CANEWB", "data": AES(SEK, JSON)} -> {"status": "1", "data": ...}.
        if (ewbNo != null) {
            Map<String, Object> cancelEwb = new LinkedHashMap<>();
            cancelEwb.put("ewbNo", ewbNo);
            cancelEwb.put("cancelRsnCode", 2);
            cancelEwb.put("cancelRmrk", "Order cancelled");
            byte[] sealed = aesEncrypt(irp.sek, Json.write(cancelEwb).getBytes(StandardCharsets.UTF_8));
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("action", "CANEWB");
            envelope.put("data", Base64.getEncoder().encodeToString(sealed));
            HttpRequest request = irp.request("/ewaybillapi/v1.03/ewayapi")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(envelope)))
                    .build();
            Map<String, Object> body = Irp.send(irp.http, request, "cancel e-way bill");
            if (!"1".equals(body.get("status"))) {
                String error = body.get("error") instanceof String e
                        ? utf8(Base64.getDecoder().decode(e))
                        : Json.write(body);
                throw new Failed("cancel e-way bill: " + error);
            }
            byte[] opened = aesDecrypt(irp.sek, Base64.getDecoder().decode((String) body.get("data")));
            Map<String, Object> answer = Json.parseObject(utf8(opened));
            Object cancelledNo = answer.get("ewayBillNo"); // a string, as NIC answers
            check(Objects.equals(cancelledNo, ewbNo.toString()),
                    "cancelled e-way bill " + cancelledNo + " is " + ewbNo);
            step("cancel e-way bill: " + ewbNo + " cancelled at " + answer.get("cancelDate"));
        }

        // 9. Cancel IRN (reason 1 = duplicate, 2 = data entry mistake, 3 = order cancelled, 4 = others).
        Map<String, Object> cancel = new LinkedHashMap<>();
        cancel.put("Irn", irn);
        cancel.put("CnlRsn", "1");
        cancel.put("CnlRem", "Raised twice by the example client");
        Map<String, Object> cancelled = irp.post("/eicore/v1.03/Invoice/Cancel", cancel, "cancel IRN");
        check(irn.equals(cancelled.get("Irn")), "cancelled Irn " + cancelled.get("Irn") + " is " + irn);
        step("cancel IRN: cancelled at " + cancelled.get("CancelDate"));

        got = irp.get("/eicore/v1.03/Invoice/irn/" + irn, "get IRN after cancel");
        check("CNL".equals(got.get("Status")), "IRN is CNL after cancel, got " + got.get("Status"));
        step("get IRN after cancel: " + irn + " is " + got.get("Status"));
    }

    /** examples/invoices/b2b-intra-state.json, from this folder or from the repository's root. */
    static Path defaultInvoice() {
        Path here = Path.of("../../invoices/b2b-intra-state.json");
        Path root = Path.of("examples/invoices/b2b-intra-state.json");
        return Files.exists(here) || !Files.exists(root) ? here : root;
    }

    public static void main(String[] args) {
        String baseUrl = Objects.requireNonNullElse(System.getenv("IRP_BASE_URL"), "").replaceAll("/+$", "");
        if (baseUrl.isEmpty()) {
            System.err.println("FAIL set IRP_BASE_URL, e.g. http://127.0.0.1:8080");
            System.exit(2);
        }
        try {
            run(baseUrl);
        } catch (Failed e) {
            System.err.println("FAIL " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("FAIL " + e);
            System.exit(1);
        }
        System.out.println("PASS every step and check");
    }

    // --- JSON: just enough for the IRP's payloads --------------------------------------------
    //
    // Objects are LinkedHashMaps (key order kept), arrays ArrayLists, numbers BigDecimals (so
    // amounts keep their exact value), then String, Boolean and null.

    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json reader = new Json(text);
            Object value = reader.value();
            reader.space();
            if (reader.at != text.length()) {
                throw reader.error("trailing characters");
            }
            return value;
        }

        static Map<String, Object> parseObject(String text) {
            return object(parse(text));
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object value) {
            if (value instanceof Map) {
                return (Map<String, Object>) value;
            }
            throw new IllegalArgumentException("expected a JSON object, got " + write(value));
        }

        @SuppressWarnings("unchecked")
        static List<Object> array(Object value) {
            if (value instanceof List) {
                return (List<Object>) value;
            }
            throw new IllegalArgumentException("expected a JSON array, got " + write(value));
        }

        static boolean sameNumber(Object a, Object b) {
            return a instanceof BigDecimal x && b instanceof BigDecimal y && x.compareTo(y) == 0;
        }

        static boolean numberIs(Object a, long b) {
            return sameNumber(a, BigDecimal.valueOf(b));
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at offset " + at);
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private Object value() {
            space();
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{':
                    return readObject();
                case '[':
                    return readArray();
                case '"':
                    return readString();
                default:
                    break;
            }
            if (text.startsWith("true", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            if (text.startsWith("null", at)) {
                at += 4;
                return null;
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            try {
                return new BigDecimal(text.substring(start, at));
            } catch (NumberFormatException e) {
                at = start;
                throw error("unexpected character '" + c + "'");
            }
        }

        private Map<String, Object> readObject() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            space();
            if (at < text.length() && text.charAt(at) == '}') {
                at++;
                return map;
            }
            while (true) {
                space();
                if (at >= text.length() || text.charAt(at) != '"') {
                    throw error("expected a key");
                }
                String key = readString();
                space();
                if (at >= text.length() || text.charAt(at) != ':') {
                    throw error("expected ':'");
                }
                at++;
                map.put(key, value());
                space();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                } else if (at < text.length() && text.charAt(at) == '}') {
                    at++;
                    return map;
                } else {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> readArray() {
            List<Object> list = new ArrayList<>();
            at++;
            space();
            if (at < text.length() && text.charAt(at) == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                space();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                } else if (at < text.length() && text.charAt(at) == ']') {
                    at++;
                    return list;
                } else {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String readString() {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    break;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
            throw error("unterminated string");
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                out.append('"');
                for (char c : s.toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append('"');
            } else if (value instanceof BigDecimal || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Number n) {
                out.append(new BigDecimal(n.toString()));
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            } else {
                throw new IllegalArgumentException("cannot write " + value.getClass());
            }
        }
    }
}
