// Writes the demo MLP bundle (random weights, fixed seed) for deploy/compose-demo:
//   java -cp <runtime-proxy class path> deploy/docker/DemoMlp.java DIR
public class DemoMlp {
    public static void main(String[] args) {
        System.out.println(dev.hearth.model.demo.DemoModels.mlp(java.nio.file.Path.of(args[0])));
    }
}
