// One GET with HttpsURLConnection, exceptions left to the JVM ("Exception in thread "main" ..."),
// as most code meets them. The lab's root comes from -Djavax.net.ssl.trustStore.
import java.io.InputStream;
import java.net.URL;
import javax.net.ssl.HttpsURLConnection;

public class UrlConnectionGet {
    public static void main(String[] args) throws Exception {
        int ms = Integer.parseInt(args[1]) * 1000;
        HttpsURLConnection c = (HttpsURLConnection) new URL(args[0]).openConnection();
        c.setConnectTimeout(ms);
        c.setReadTimeout(ms);
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }
}
