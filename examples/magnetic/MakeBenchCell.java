// A random bcc Fe-Al cell with collinear moments for `bench`: java -cp mtpjava.jar MakeBenchCell.java OUT.cfg [REPEATS]
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.mtpjava.io.CfgFiles;
import org.mtpjava.magnetic.TeacherData;
import org.mtpjava.model.Configuration;

public class MakeBenchCell {
    public static void main(String[] args) {
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Configuration c = TeacherData.randomBcc(new Random(5), k, k, k, 2.87, 2, 0.5, 0.08, 0.02, new double[]{0.5, 2.5}, 0.0);
        CfgFiles.write(Path.of(args[0]), List.of(c), CfgFiles.Precision.LOSSLESS);
    }
}
