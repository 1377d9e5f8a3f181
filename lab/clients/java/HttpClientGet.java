// One GET with java.net.http.HttpClient (Java 11+), exceptions left to the JVM. The lab's root
// comes from -Djavax.net.ssl.trustStore.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

public class HttpClientGet {
    public static void main(String[] args) throws Exception {
        Duration limit = Duration.ofSeconds(Integer.parseInt(args[1]));
        HttpClient client = HttpClient.newBuilder().connectTimeout(limit).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).timeout(limit).build();
        client.send(request, HttpResponse.BodyHandlers.discarding());
    }
}
