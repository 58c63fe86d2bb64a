// Checks a pure-element GSF result (gsf-rK.json of mtpjava ductility): every curve symmetric about s = b/2
// (|γ(s) − γ(1 − s)| < 2e-3 J/m²) and back to zero at s = b (|γ(b)| < 1e-4 J/m²). Exit status 0 if it holds.
//   java -cp mtpjava.jar GsfCheck.java gsf-r1.json
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

public class GsfCheck {
    public static void main(String[] args) throws Exception {
        JsonNode r = new ObjectMapper().readTree(Files.readString(Path.of(args[0]))).get("result");
        double worst = 0, end = 0;
        int curves = 0;
        for (JsonNode c : r.get("curves")) {
            curves++;
            JsonNode s = c.get("shift"), e = c.get("energy");
            int n = s.size();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (Math.abs(s.get(i).asDouble() + s.get(j).asDouble() - 1) < 1e-9)
                        worst = Math.max(worst, Math.abs(e.get(i).asDouble() - e.get(j).asDouble()));
            if (Math.abs(s.get(n - 1).asDouble() - 1) < 1e-9) end = Math.max(end, Math.abs(e.get(n - 1).asDouble()));
        }
        boolean ok = curves > 0 && worst < 2e-3 && end < 1e-4;
        System.out.printf(Locale.ROOT, "%d curve(s), gamma_usf %.4f J/m2 at s/b %.3f; max |g(s) - g(1-s)| %.2e, |g(b)| %.2e J/m2%n",
                curves, r.get("gammaUsf").asDouble(), r.get("curves").get(0).get("shiftAtMax").asDouble(), worst, end);
        System.exit(ok ? 0 : 1);
    }
}
