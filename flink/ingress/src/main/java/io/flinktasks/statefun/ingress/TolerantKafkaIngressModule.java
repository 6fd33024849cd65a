package io.flinktasks.statefun.ingress;

import java.util.Map;
import org.apache.flink.statefun.extensions.ExtensionModule;

/**
 * Makes the component kind {@code io.flinktasks.kafka.v1/ingress} known to StateFun. Found by
 * StateFun through {@code META-INF/services/org.apache.flink.statefun.extensions.ExtensionModule}
 * when this jar is on the classpath (the launcher) or in a module directory next to module.yaml
 * (the apache/flink-statefun image).
 */
public final class TolerantKafkaIngressModule implements ExtensionModule {

  @Override
  public void configure(Map<String, String> globalConfigurations, Binder binder) {
    binder.bindExtension(
        TolerantKafkaIngressBinder.KIND_TYPE, TolerantKafkaIngressBinder.INSTANCE);
  }
}
