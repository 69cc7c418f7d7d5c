package dev.jcni.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks kernel tests: without CAP_SYS_ADMIN + CAP_NET_ADMIN or without ip(8) they are reported
 * as SKIPPED with the reason, never run and never silently passed.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootCondition.class)
public @interface RequiresRoot {}
