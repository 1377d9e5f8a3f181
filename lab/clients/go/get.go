// One GET with Go's net/http, as services write it: a client with a timeout, and log.Fatal on
// error (the log's date and time before the message). The lab's root comes from SSL_CERT_FILE,
// which crypto/x509 reads on Linux.
package main

import (
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	secs, err := strconv.Atoi(os.Args[2])
	if err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Timeout: time.Duration(secs) * time.Second}
	resp, err := client.Get(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		log.Fatal(err)
	}
}
