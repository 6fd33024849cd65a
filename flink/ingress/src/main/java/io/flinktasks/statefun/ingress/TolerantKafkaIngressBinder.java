package io.flinktasks.statefun.ingress;

import org.apache.flink.statefun.extensions.ComponentBinder;
import org.apache.flink.statefun.extensions.ComponentJsonObject;
import org.apache.flink.statefun.flink.io.common.AutoRoutableProtobufRouter;
import org.apache.flink.statefun.sdk.TypeName;
import org.apache.flink.statefun.sdk.spi.StatefulFunctionModule;

/**
 * Binds module.yaml components of kind {@value #KIND}: a Kafka ingress (StateFun's own Kafka
 * source) whose deserializer is {@link TolerantKafkaIngressDeserializer}, routed by StateFun's
 * own router for {@code AutoRoutable} messages.
 */
public final class TolerantKafkaIngressBinder implements ComponentBinder {

  /** The component kind, as written in module.yaml. */
  public static final String KIND = "io.flinktasks.kafka.v1/ingress";

  static final TypeName KIND_TYPE = TypeName.parseFrom(KIND);

  static final TolerantKafkaIngressBinder INSTANCE = new TolerantKafkaIngressBinder();

  private TolerantKafkaIngressBinder() {}

  @Override
  public void bind(ComponentJsonObject component, StatefulFunctionModule.Binder binder) {
    if (!KIND_TYPE.equals(component.binderTypename())) {
      throw new IllegalArgumentException(
          "the " + KIND + " binder was given a component of kind " + component.binderTypename());
    }
    TolerantKafkaIngressSpec spec = TolerantKafkaIngressSpec.parse(component.specJsonNode());
    binder.bindIngress(spec.toKafkaIngressSpec());
    binder.bindIngressRouter(spec.id(), new AutoRoutableProtobufRouter());
  }
}
