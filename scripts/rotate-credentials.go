// Writes the key material of a credential rotation for a local cluster (scripts/fleet rotate-credentials):
// a new client key and certificate signed by the cluster's CA, and a new CA to add to the CA bundle. In Go's
// standard library, so that the set-up needs nothing but Go (no openssl), and `go run` needs no module.
//
//	go run scripts/rotate-credentials.go CA_CERT CA_KEY USER OUT_DIR
//
// OUT_DIR gets key.pem and crt.pem (the client credential, O=system:masters, CN=USER) and new-ca.crt.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

func main() {
	if len(os.Args) != 5 {
		fail(fmt.Errorf("usage: go run rotate-credentials.go CA_CERT CA_KEY USER OUT_DIR"))
	}
	caCert, caKey, user, out := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	ca, err := readCert(caCert)
	check(err)
	signer, err := readKey(caKey)
	check(err)

	// system:masters, as kwokctl's own admin certificate: the rotation changes the credential, not its rights.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	check(err)
	client := template(pkix.Name{Organization: []string{"system:masters"}, CommonName: user})
	client.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	client.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	der, err := x509.CreateCertificate(rand.Reader, client, ca, &key.PublicKey, signer)
	check(err)
	write(filepath.Join(out, "crt.pem"), "CERTIFICATE", der)
	write(filepath.Join(out, "key.pem"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key))

	// A CA that signs nothing: added beside the cluster's, as the first step of a CA rotation does.
	newKey, err := rsa.GenerateKey(rand.Reader, 2048)
	check(err)
	newCA := template(pkix.Name{CommonName: "rotated-ca-" + user})
	newCA.IsCA, newCA.BasicConstraintsValid = true, true
	newCA.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	der, err = x509.CreateCertificate(rand.Reader, newCA, newCA, &newKey.PublicKey, newKey)
	check(err)
	write(filepath.Join(out, "new-ca.crt"), "CERTIFICATE", der)
}

func template(subject pkix.Name) *x509.Certificate {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	check(err)
	now := time.Now()
	return &x509.Certificate{SerialNumber: serial, Subject: subject, NotBefore: now.Add(-time.Minute), NotAfter: now.Add(30 * 24 * time.Hour)}
}

func readCert(path string) (*x509.Certificate, error) {
	block, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(block.Bytes)
}

// kwokctl writes its CA key as PKCS#1; PKCS#8 is read too.
func readKey(path string) (any, error) {
	block, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	if key, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return key, nil
	}
	return x509.ParsePKCS8PrivateKey(block.Bytes)
}

func readPEM(path string) (*pem.Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	return block, nil
}

func write(path, kind string, der []byte) {
	check(os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
}

func check(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rotate-credentials:", err)
	os.Exit(1)
}
