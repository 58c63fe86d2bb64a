// Builds a neighbourhood-mode active set for the published NbMoTaW MTP and writes the potential with it as an
// .almtp (MaxVol selection over the neighbourhoods, as MLIP-3's training does after fitting).
//   java -cp mtpjava.jar MakeActiveSet.java POT.mtp OUT.almtp DATA.cfg[:CONFIG_TYPE] ...
// Each DATA argument is a cfg file, optionally restricted to configurations whose feature config_type equals
// CONFIG_TYPE. The published potential's training set is NbMoTaW_train_without_Multinary_SQS.cfg plus the
// Multinary_SQS structures, which our copy of the data lacks; the equiatomic quaternary Multinary_Test
// structures of the test set stand in for them so that multi-component neighbourhoods are represented.
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.SelectionWeights;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;

public class MakeActiveSet {
    public static void main(String[] args) {
        Potential p = PotentialFiles.read(Path.of(args[0]));
        List<Configuration> keep = new ArrayList<>();
        for (int a = 2; a < args.length; a++) {
            String[] spec = args[a].split(":", 2);
            String type = spec.length > 1 ? spec[1] : null;
            CfgFiles.forEach(Path.of(spec[0]), c -> {
                String t = c.features().get("config_type");
                if (type == null || (t != null && t.trim().equals(type))) keep.add(c);
            });
        }
        long atoms = keep.stream().mapToLong(Configuration::size).sum();
        long t0 = System.nanoTime();
        ActiveLearning.updateActiveSet(p, keep, SelectionWeights.NEIGHBOURHOOD_MODE, Runtime.getRuntime().availableProcessors());
        PotentialFiles.write(p, Path.of(args[1]));
        System.err.printf("MakeActiveSet: %d configurations (%d neighbourhoods) -> %s in %.1f s%n",
                keep.size(), atoms, args[1], (System.nanoTime() - t0) * 1e-9);
    }
}
